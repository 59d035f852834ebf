"""The kernel: values, advice levels, people and roles, the permission policy, the audit entry,
mail, and the ports to the outside world (clock, randomness, files, mail). Every area builds on
it; it imports none of them.
"""
