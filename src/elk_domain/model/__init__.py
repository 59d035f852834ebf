"""Entities and value objects of the PO-VO transfer."""
