"""Overviews: the read models behind the staff home page and the pupil overview."""
