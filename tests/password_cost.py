"""Passwords in the tests are hashed with argon2id at a low cost.

HQ hashes each password with argon2-cffi's defaults (RFC 9106's second recommended setting: 64 MiB, three
passes, four lanes), about a fifth of a second of CPU each time. The console tests make four accounts and sign
in once or more in each test, and those hashes were a quarter of the CPU the console tests took. Here the same
code runs (the same hasher, the same checks, each hash's parameters read back from it as HQ reads them); only
the cost differs. HQ's own cost is kept honest by `tests/hq/test_password_cost.py`: a new HQ program, which
this never touches, stores its hashes at the defaults.
"""

from __future__ import annotations

from argon2 import PasswordHasher

LOW_COST = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def hash_at_low_cost() -> None:
    """For this process: the test process, and the warm process each test's HQ is forked from."""
    from trainer_desk.hq import staff

    staff._HASHER = LOW_COST
