"""Documents adapters."""
