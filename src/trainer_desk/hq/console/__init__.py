"""HQ's web console (see app.py)."""
