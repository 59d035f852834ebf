"""Parents: login eligibility, parent accounts, and registration at VO schools with the regional
list rules.
"""
