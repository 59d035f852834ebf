"""Pupils: the pupil, group membership, the reason not placed, notes, and the one access rule
for a pupil.
"""
