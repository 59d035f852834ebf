"""OSO: dossiers from the pupil administration merged into the Oki-doc; delivery points,
transfers, syncs and the batch port.
"""
