"""The reference HQ service: receives every registration and publishes roster and content updates."""
