"""Imports adapters."""
