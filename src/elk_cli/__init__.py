"""The ``elk`` command for operators: serve, db, demo and user."""
