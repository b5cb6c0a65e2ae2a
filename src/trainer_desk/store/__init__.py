"""The local SQLite database: one file, opened and migrated here, read and written through repositories."""
