"""The plan validator tells an author when a slide's lines, meant apart, would reach the room as one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trainer_desk.__main__ import main
from trainer_desk.core.slide_lines import joined_lines
from trainer_desk.paths import bundled


def test_plans_validate_warns_of_labelled_lines_and_questions_markdown_would_join(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "inclusive-workplace"
    shutil.copytree(bundled("lesson_plans") / "inclusive-workplace", plan)
    manifest = plan / "plan.toml"
    text = manifest.read_text(encoding="utf-8")
    apart = "**A.** The group chat meme\n\n**B.** Your inspector's 'jokes'\n\n**C.**"
    assert apart in text
    text = text.replace(apart, "**A.** The group chat meme\n**B.** Your inspector's 'jokes'\n**C.**")
    question = "Nobody has to share anything personal\n"
    assert question in text
    text = text.replace(question, f"{question}\nWhat helps?\nWhat gets in the way?\n", 1)
    manifest.write_text(text, encoding="utf-8")

    assert main(["plans", "validate", str(plan)]) == 0  # a warning: the session can still be delivered
    said = capsys.readouterr().err
    line = text.splitlines().index("# The duty to act")  # the line before it opens the section's audience text
    assert (
        f"plan.toml:{line}: warning: the audience text of section 'duty-to-act': the lines "
        f'"**A.** The group chat meme" and "**B.** Your inspector\'s \'jokes\'" run into one line on the screen'
    ) in said
    assert '"What helps?" and "What gets in the way?" run into one line' in said
    assert "put a blank line between them, or start each with '- ' to make a list" in said


@pytest.mark.parametrize(
    "slide",
    [
        "A sentence wrapped in the file\nacross two lines, ending here.",  # one paragraph, meant as one
        "- Who is the joke on?\n- Could they object?",  # a list: each item its own line
        "Who is the joke on?\n\nCould they object?",  # paragraphs
        "Who is the joke on?  \nCould they object?",  # a hard line break
        "| A. | Who? |\n| B. | Why? |",  # a table
        "```\nA. one\nB. two\n```",  # code, shown as written
    ],
)
def test_lines_markdown_keeps_apart_or_meant_as_one_are_left_alone(slide: str) -> None:
    assert joined_lines(slide) == []
