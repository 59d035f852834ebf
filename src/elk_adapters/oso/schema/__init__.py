"""The OSO gegevensset 2019.1 XSD and code lists (provenance: tests/fixtures/oso/SOURCES.md)."""
