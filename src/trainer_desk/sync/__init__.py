"""Sync with HQ: the wire protocol, the HTTP client and the engine that pushes the outbox and pulls updates."""
