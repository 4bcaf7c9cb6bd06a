"""Alembic migrations for the housemind database (a package so that wheels ship it)."""
