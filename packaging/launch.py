"""The frozen app's entry point: the same `main` as `trainer-desk` and `python -m trainer_desk`."""

import sys

from trainer_desk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
