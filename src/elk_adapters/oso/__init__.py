"""Oso adapters."""
