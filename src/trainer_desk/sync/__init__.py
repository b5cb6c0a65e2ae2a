"""Sync with HQ: the wire protocol, the HTTP client, and the engine that pushes and pulls."""
