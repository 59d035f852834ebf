"""Alembic migrations, shipped inside the package; run through ``database.migrate``."""
