"""Placement and lottery (R-PL-1, R-PL-2): who gets a place where, and why, from data alone.

Pure: an ``Instance`` (programmes, pupils with their ranked choices, the procedure's name and the
secret seed) goes in, a ``Result`` (placements, lottery ranks, reserve lists, the audit) comes
out. The lottery is derived from the seed with HMAC-SHA-256 so anyone can recompute it
(decision 0051); the mechanism is chosen by the procedure's name (decision 0050). ``run.solve``
is the one entry point for the CLI and for a database-backed run.
"""
