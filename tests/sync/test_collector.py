"""The cycle collector is paused only for the block, and a pause inside another leaves it off."""

from __future__ import annotations

import gc

import pytest

from trainer_desk.sync import collector


def test_the_collector_is_back_after_the_block_even_when_it_fails() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collector.paused():
        assert not gc.isenabled()
        raise ValueError("a snapshot that could not be read")
    assert gc.isenabled()


def test_a_pause_inside_another_keeps_the_collector_off_until_the_outer_one_ends() -> None:
    with collector.paused():
        with collector.paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
