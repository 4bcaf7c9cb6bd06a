"""housemind package."""
