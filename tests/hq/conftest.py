"""The console's fixtures, for every console test module."""

from tests.hq.console_kit import browser, force, page

__all__ = ["browser", "force", "page"]
