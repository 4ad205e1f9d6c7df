"""Alembic environment and schema versions: the one way the schema changes."""
