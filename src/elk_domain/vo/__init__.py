"""The VO school's side of the transfer: the pupils registered there (R-AUTH-5, R-AAN-4)."""
