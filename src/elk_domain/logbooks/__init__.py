"""Logbooks: the audit log, the sent mail, and the change history of an Oki-doc, as staff read
them.
"""
