"""The lesson-plan validator: every class of problem is named with the right file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trainer_desk.core.lesson_plan import SectionKind
from trainer_desk.core.plan_loader import load_plan

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "plans" / "example-plan"


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    target = tmp_path / "example-plan"
    shutil.copytree(EXAMPLE, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def problems_of(folder: Path) -> list[str]:
    plan, problems = load_plan(folder)
    assert plan is None
    return [f"{p.file.relative_to(folder.parent)}:{p.line}: {p.message}" for p in problems]


def warnings_of(folder: Path) -> list[str]:
    """What a usable plan warns of, as the library shows it."""
    plan, problems = load_plan(folder)
    assert plan is not None and all(p.warning for p in problems)
    return list(plan.warnings)


def test_the_example_loads_whole(plan_dir: Path) -> None:
    plan, problems = load_plan(plan_dir)
    assert problems == []
    assert plan is not None
    assert [s.minutes for s in plan.sections] == [5, 10, 15]
    assert plan.sections[1].kind is SectionKind.VIDEO
    assert plan.sections[1].video is not None and plan.sections[1].video.captions.name == "film.vtt"
    assert plan.sections[0].script_and_notes == (
        "Welcome everyone.\n\nSee [the card](../example-plan/signposting.md).",
        "Keep it short.",
    )
    assert plan.faq[0].question == "Will anyone know it was me?"


def test_unknown_key(plan_dir: Path) -> None:
    edit(plan_dir / "plan.toml", "minutes = 10\n", "minutes = 10\nminuets = 3\n")
    assert problems_of(plan_dir) == ["example-plan/plan.toml:41: unknown key 'minuets' in [[sections]]"]


def test_missing_file(plan_dir: Path) -> None:
    (plan_dir / "sections" / "03-close.md").unlink()
    assert problems_of(plan_dir) == ["example-plan/plan.toml:57: file 'sections/03-close.md' is missing"]


def test_minutes_must_add_up(plan_dir: Path) -> None:
    edit(plan_dir / "plan.toml", "minutes = 15", "minutes = 20")
    assert problems_of(plan_dir) == [
        "example-plan/plan.toml:6: sections add up to 35 minutes but duration_minutes is 30"
    ]


def test_objective_not_served(plan_dir: Path) -> None:
    edit(plan_dir / "plan.toml", 'objectives = ["next"]', "objectives = []")
    assert problems_of(plan_dir) == ["example-plan/plan.toml:20: objective 'next' is not served by any section"]


def test_video_without_captions(plan_dir: Path) -> None:
    edit(plan_dir / "plan.toml", 'captions = "videos/film.vtt"\n', "")
    assert problems_of(plan_dir) == ["example-plan/plan.toml:46: [sections.video] is missing 'captions'"]


def test_captions_that_are_not_webvtt(plan_dir: Path) -> None:
    """A warning, not a broken plan: the film plays without them, and the trainer is told before starting."""
    (plan_dir / "videos" / "film.vtt").write_text("1\n00:00:00,000 --> 00:00:02,000\nHello\n")
    plan, _ = load_plan(plan_dir)
    assert plan is not None
    assert any("the film plays without captions" in notice for notice in plan.before_you_start())
    assert warnings_of(plan_dir) == ["plan.toml:48: captions file videos/film.vtt: captions must start with 'WEBVTT'"]


def test_captions_with_srt_timings_under_a_webvtt_heading(plan_dir: Path) -> None:
    """Renamed from .srt with the heading added, they would read as no captions at all: the film would play
    uncaptioned with nobody told."""
    (plan_dir / "videos" / "film.vtt").write_text("WEBVTT\n\n1\n00:00:00,000 --> 00:00:02,000\nHello\n")
    assert warnings_of(plan_dir) == [
        "plan.toml:48: captions file videos/film.vtt: line 4 of the captions is not a WebVTT timing"
        " (00:00:00,000 --> 00:00:02,000): write times as 00:01:02.500, with a dot before the milliseconds"
    ]
    (plan_dir / "videos" / "film.vtt").write_text("WEBVTT\n\nNOTE to be captioned\n")
    assert warnings_of(plan_dir) == [
        "plan.toml:48: captions file videos/film.vtt: the captions hold no cue (a line of timings"
        " such as 00:00:01.000 --> 00:00:04.000)"
    ]


def test_a_plan_saved_with_a_byte_order_mark_is_read(plan_dir: Path) -> None:
    """Windows Notepad (before 2019) saves UTF-8 with a byte-order mark; the plan and its scripts still read."""
    for name in ("plan.toml", *(str(p.relative_to(plan_dir)) for p in plan_dir.rglob("*.md"))):
        file = plan_dir / name
        file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())
    plan, problems = load_plan(plan_dir)
    assert problems == []
    assert plan is not None and plan.sections[0].script.startswith("Welcome everyone.")


def test_duplicate_ids(plan_dir: Path) -> None:
    edit(plan_dir / "plan.toml", 'id = "close"', 'id = "film"')
    assert problems_of(plan_dir) == ["example-plan/plan.toml:52: section id 'film' is used twice"]


def test_bad_markdown_link_is_placed_in_the_script_file(plan_dir: Path) -> None:
    edit(plan_dir / "sections" / "03-close.md", "Close.", "Close. See [the old intranet](http://intranet/x).")
    assert problems_of(plan_dir) == [
        "example-plan/sections/03-close.md:1: link 'http://intranet/x' must be an https:// address "
        "or a file in the plan folder"
    ]


def test_link_to_a_missing_file(plan_dir: Path) -> None:
    edit(plan_dir / "signposting.md", "](https://example.org/line)", "](contacts.md)")
    assert problems_of(plan_dir) == [
        "example-plan/signposting.md:3: link 'contacts.md' points to a file that does not exist"
    ]


@pytest.mark.parametrize("where", ["../secrets.md", "/etc/passwd"])
def test_files_outside_the_plan_folder(plan_dir: Path, where: str) -> None:
    (plan_dir.parent / "secrets.md").write_text("x")
    edit(plan_dir / "plan.toml", 'script = "sections/02-film.md"', f'script = "{where}"')
    [problem] = problems_of(plan_dir)
    assert problem.startswith("example-plan/plan.toml:42: ")
    assert "outside the plan folder" in problem or "must be a path inside the plan folder" in problem


def test_toml_syntax_error_names_its_line(plan_dir: Path) -> None:
    edit(plan_dir / "plan.toml", 'title = "Welcome"', "title = Welcome")
    [problem] = problems_of(plan_dir)
    assert problem.startswith("example-plan/plan.toml:26: not valid TOML: ")


def test_id_must_match_folder_and_types_are_checked(plan_dir: Path) -> None:
    edit(plan_dir / "plan.toml", 'id = "example-plan"', 'id = "other-plan"')
    edit(plan_dir / "plan.toml", "duration_minutes = 30", 'duration_minutes = "30"')
    assert problems_of(plan_dir) == [
        "example-plan/plan.toml:6: 'duration_minutes' must be a whole number",
        "example-plan/plan.toml:2: id 'other-plan' does not match the folder name 'example-plan'",
    ]


def test_unknown_section_kind_and_objective(plan_dir: Path) -> None:
    edit(plan_dir / "plan.toml", 'kind = "close"', 'kind = "lecture"')
    edit(plan_dir / "plan.toml", 'objectives = ["next"]', 'objectives = ["next", "later"]')
    assert problems_of(plan_dir) == [
        "example-plan/plan.toml:54: kind 'lecture' must be one of: talk, video, discussion, activity, "
        "question-round, break, close",
        "example-plan/plan.toml:56: objective 'later' is not one of this plan's objectives",
    ]


def test_faq_repeats_and_missing_answers(plan_dir: Path) -> None:
    (plan_dir / "faq.toml").write_text(
        '[[faq]]\nquestion = "Why me?"\nanswer = "Because."\n\n'
        '[[faq]]\nquestion = "why  me?"\nanswer = "Again."\n\n'
        '[[faq]]\nquestion = "No answer"\n'
    )
    assert problems_of(plan_dir) == [
        "example-plan/faq.toml:6: this question is already in the file",
        "example-plan/faq.toml:9: [[faq]] is missing 'answer'",
    ]


def test_preparation_is_read_and_a_plan_past_its_review_date_is_a_warning(plan_dir: Path) -> None:
    manifest = plan_dir / "plan.toml"
    edit(
        manifest,
        "\n[programme]",
        '\n[preparation]\ntrainers = "Any volunteer trainer."\nchecklist = ["Films tested"]\n'
        'owner = "HQ learning team"\nreview_by = 2020-01-31\n\n[programme]',
    )
    plan, problems = load_plan(plan_dir)
    assert plan is not None
    assert plan.preparation.checklist == ("Films tested",) and plan.preparation.owner == "HQ learning team"
    assert [(p.line, p.message, p.warning) for p in problems] == [
        (line_of_text(manifest, "review_by"), "this plan was due for review by 31 Jan 2020", True)
    ]
    edit(manifest, "review_by = 2020-01-31", 'review_by = "soon"')
    assert (
        f"example-plan/plan.toml:{line_of_text(manifest, 'review_by')}: 'review_by' must be a date (2027-06-30)"
        in problems_of(plan_dir)
    )


def line_of_text(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


FOLLOW_UP = """[[follow_up]]
id = "used-it"
question = "Since the session, have you used what you learned?"
answer = "yes-no"

[[follow_up]]
id = "used-it"
question = "How much?"
answer = "a lot"

"""


def test_follow_up_questions_load_and_are_checked(plan_dir: Path) -> None:
    manifest = plan_dir / "plan.toml"
    text = manifest.read_text()
    first_section = text.index("[[sections]]")
    good = FOLLOW_UP.split("[[follow_up]]")[1]
    manifest.write_text(text[:first_section] + "[[follow_up]]" + good + text[first_section:])
    plan, problems = load_plan(plan_dir)
    assert problems == [] and plan is not None
    assert [(q.id, q.answer.value) for q in plan.follow_up] == [("used-it", "yes-no")]

    manifest.write_text(text[:first_section] + FOLLOW_UP + text[first_section:])
    line = text[:first_section].count("\n") + 1
    assert problems_of(plan_dir) == [
        f"example-plan/plan.toml:{line + 6}: follow-up question id 'used-it' is used twice",
        f"example-plan/plan.toml:{line + 8}: answer must be one of: yes-no, scale, text",
    ]
