from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.plan_library import load_library
from trainer_desk.export.facilitator_script import write_facilitator_script
from trainer_desk.paths import bundled

LIBRARY = load_library(bundled("lesson_plans"))


def test_the_script_holds_every_section_faq_and_the_signposting_card(tmp_path: Path) -> None:
    plan = LIBRARY.get("upstander")
    assert plan is not None
    target = tmp_path / "script.pdf"
    write_facilitator_script(plan, LIBRARY.shared_faq, target)
    reader = PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for number, section in enumerate(plan.sections, start=1):
        assert f"{number}. {section.title}" in flat
    assert plan.faq[0].question.split()[0] in flat
    assert "Signposting card" in flat
    assert f"page {len(reader.pages)}" in reader.pages[-1].extract_text()
    assert [p.name for p in tmp_path.iterdir()] == ["script.pdf"]  # no partial file left behind


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    plan = LIBRARY.plans[0]
    with pytest.raises(UserFacingError, match="does not exist"):
        write_facilitator_script(plan, (), tmp_path / "nowhere" / "script.pdf")
