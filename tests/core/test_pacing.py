from __future__ import annotations

from trainer_desk.core.lesson_plan import SectionKind
from trainer_desk.core.pacing import SessionClock, TimeLevel, Trim, format_clock

K = SectionKind


class FakeTime:
    """A monotonic clock the test moves by hand: the pacing rules are arithmetic, not waiting."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def clock(time: FakeTime) -> SessionClock:
    return SessionClock(
        targets_s=[300, 600, 900, 600, 300],
        kinds=[K.TALK, K.VIDEO, K.DISCUSSION, K.ACTIVITY, K.CLOSE],
        now=time,
    )


def test_the_section_countdown_turns_amber_in_its_last_minute_then_red() -> None:
    time = FakeTime()
    c = clock(time)
    c.start()
    time.t += 200
    assert c.section_remaining() == 100 and c.section_level() is TimeLevel.ON_TIME
    time.t += 50
    assert c.section_level() is TimeLevel.NEARLY
    time.t += 60
    assert c.section_remaining() == -10 and c.section_level() is TimeLevel.OVER


def test_pausing_stops_the_clock() -> None:
    time = FakeTime()
    c = clock(time)
    c.start()
    time.t += 60
    c.pause()
    time.t += 500
    assert c.elapsed(0) == 60 and c.total_elapsed() == 60
    c.start()
    time.t += 10
    assert c.elapsed(0) == 70


def test_running_over_suggests_which_later_sections_can_absorb_it() -> None:
    time = FakeTime()
    c = clock(time)
    c.start()
    time.t += 300 + 240  # four minutes over in the first section
    c.go_to(1)
    assert c.behind_s() == 240
    assert c.session_level() is TimeLevel.NEARLY
    # the discussion (15 min) can give up to 7, and that is enough; the video and the close are never cut
    assert c.suggest_trims() == [Trim(section_index=2, minutes=4)]


def test_finishing_a_section_early_pays_back_earlier_overruns() -> None:
    time = FakeTime()
    c = clock(time)
    c.start()
    time.t += 420  # two minutes over
    c.go_to(1)
    time.t += 480  # two minutes under
    c.go_to(2)
    assert c.behind_s() == 0 and c.session_level() is TimeLevel.ON_TIME


def test_too_far_behind_to_absorb_is_red() -> None:
    time = FakeTime()
    c = clock(time)
    c.start()
    c.go_to(3)
    time.t += 600 + 1200  # twenty minutes over with only the close left
    assert c.session_level() is TimeLevel.OVER
    assert c.suggest_trims() == []


def test_a_snapshot_resumes_at_the_same_section_and_clock_paused() -> None:
    time = FakeTime()
    c = clock(time)
    c.start()
    time.t += 320
    c.go_to(2)
    time.t += 95
    saved = c.snapshot()
    again = clock(FakeTime())
    again.restore(saved)
    assert again.current == 2 and again.paused
    assert again.elapsed(0) == 320 and again.elapsed(2) == 95
    again.restore({"current": 99, "elapsed_s": "nonsense"})  # a damaged snapshot changes nothing
    assert again.current == 2


def test_clock_format() -> None:
    assert format_clock(65) == "1:05"
    assert format_clock(-90) == "-1:30"
    assert format_clock(3725) == "1:02:05"


def test_a_section_started_at_clock_zero_is_running() -> None:
    time = FakeTime()
    time.t = 0.0  # a monotonic clock may read 0.0 (a fresh boot, or a clock injected by a caller)
    c = clock(time)
    c.start()
    time.t = 42.0
    assert c.elapsed(0) == 42.0 and c.section_remaining() == 258.0
