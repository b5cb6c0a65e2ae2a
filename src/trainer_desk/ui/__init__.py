"""Qt widgets, models and windows: thin views over the core, store, sync and export layers."""
