"""The four programmes shipped with the app are whole, deliverable plans."""

from __future__ import annotations

import pytest

from trainer_desk.core.lesson_plan import SectionKind
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.slide_lines import joined_lines
from trainer_desk.paths import bundled

LIBRARY = load_library(bundled("lesson_plans"))


def test_every_bundled_plan_loads_and_the_shared_faq_too() -> None:
    assert [b.folder.name for b in LIBRARY.broken] == []
    assert LIBRARY.problems == ()
    assert sorted(p.id for p in LIBRARY.plans) == [
        "inclusive-workplace",
        "raising-concerns",
        "signa-core",
        "upstander",
    ]
    assert len(LIBRARY.shared_faq) >= 8


@pytest.mark.parametrize("plan", LIBRARY.plans, ids=lambda p: p.id)
def test_each_plan_is_deliverable_with_nothing_else_in_hand(plan) -> None:  # type: ignore[no-untyped-def]
    assert sum(s.minutes for s in plan.sections) == plan.duration_minutes
    assert len(plan.faq) >= 15
    assert plan.signposting.strip()
    assert plan.sample_media, "sample videos must be marked as samples forces replace"
    videos = [s.video for s in plan.sections if s.video]
    assert videos and all(v.captions.read_text().startswith("WEBVTT") for v in videos)
    assert all(v.file.stat().st_size < 5_000_000 for v in videos)
    checked = {
        o for s in plan.sections if s.kind in (SectionKind.QUESTION_ROUND, SectionKind.CLOSE) for o in s.objectives
    }
    assert checked == {o.id for o in plan.objectives}, "every objective is checked at the end"
    assert all(s.script.strip() for s in plan.sections)


@pytest.mark.parametrize("plan", LIBRARY.plans, ids=lambda p: p.id)
def test_no_slide_runs_lines_the_author_meant_apart_into_one(plan) -> None:  # type: ignore[no-untyped-def]
    """Markdown joins lines with no blank line between them: 'A. ... B. ... C. ...' on one projected line."""
    joined = {s.id: joined_lines(s.audience) for s in plan.sections if joined_lines(s.audience)}
    assert joined == {}
    assert not [w for w in plan.warnings if "run into one line" in w]


@pytest.mark.parametrize("plan", LIBRARY.plans, ids=lambda p: p.id)
def test_a_close_that_says_where_to_give_feedback_names_the_phone_and_the_laptop(plan) -> None:  # type: ignore[no-untyped-def]
    """The close is shown beside the feedback QR code when the laptop is enrolled, and alone when it is not:
    'the form on the laptop' beside a code to scan tells the room two things."""
    close = next(s for s in plan.sections if s.kind is SectionKind.CLOSE).audience.lower()
    if "laptop" in close or "phone" in close:
        assert "laptop" in close and "phone" in close


@pytest.mark.parametrize("plan", LIBRARY.plans, ids=lambda p: p.id)
def test_the_close_script_tells_the_room_about_the_code_and_the_laptop(plan) -> None:  # type: ignore[no-untyped-def]
    """An enrolled laptop shows a feedback QR code at the close; the trainer's words must not deny it."""
    script = next(s for s in plan.sections if s.kind is SectionKind.CLOSE).script
    assert "code on the screen" in script and "laptop" in script
    assert "no online" not in script.lower() and "no link to share" not in script.lower()
