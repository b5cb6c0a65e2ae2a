"""PDF and CSV writers: they take core objects and a path, and know nothing of Qt or the database."""
