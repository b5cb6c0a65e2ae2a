"""Trainer Desk: deliver train-the-trainer sessions offline and sync the register to HQ.

The version is written here, not read from the installed package's metadata: that lookup imports
importlib.metadata and scans every installed package, which every start would pay for.
"""

__version__ = "0.1.0"

APP_NAME = "Trainer Desk"
