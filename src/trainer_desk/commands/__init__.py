"""Headless subcommands of `trainer-desk`, one module each, all under the one parser in `__main__`."""
