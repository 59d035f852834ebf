"""The Oki-doc: its fields and catalogue, lifecycle, completeness rules, test results and
charts, attachments, school preferences, and editing it.
"""
