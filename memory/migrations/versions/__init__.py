"""Alembic revision files (alembic skips this ``__init__``)."""
