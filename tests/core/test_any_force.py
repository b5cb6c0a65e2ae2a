"""The bundled plans are for any force: filled with a made-up force's facts, no script, slide, FAQ answer or
support card shows the facts of the force they were first written from (its values, its lines, its name)
outside a passage marked as history, and each shows the made-up force's facts where it uses them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from trainer_desk.core.force_fields import ForceFields
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.plan_library import load_library
from trainer_desk.export.facilitator_script import write_facilitator_script
from trainer_desk.lesson_content import load_plans
from trainer_desk.paths import AppPaths, bundled

FERNSHIRE = ForceFields(
    {
        "name": "Fernshire Constabulary",
        "values": "Candour, Service and Care",
        "reporting_routes": "- **Fernshire Standards Unit**: 01632 960555\n- **SpeakSafe** (anonymous): 01632 960556",
        "support_services": "- **Fernshire Wellbeing Hub**: 01632 960557",
        "sexual_violence_support": "Fernshire Sexual Violence Helpline: 01632 960558",
        "wellbeing_lead": "Jo Bloggs, Fernshire Wellbeing Hub, 01632 960557",
        "stepping_out": "You may step out at any time and come back.",
    }
)
LIBRARY = load_library(bundled("lesson_plans"), force=FERNSHIRE)

# The source force's facts: its values, its own names for its lines and departments, its name.
SOURCE_FORCE = [
    r"Respect,? Empathy,? Integrity,? Courage",
    r"Right Line",
    r"Directorate of Professional Standards",
    r"Metropolitan Police",
    r"\bthe Met\b",
    r"\bMet's\b",
    r"\bMPS\b",
    r"Values Advocates? (?:network|across)",
    r"Professionalism Chief Inspector",
]


def shown_texts(plan: LessonPlan) -> list[str]:
    """Everything a trainer or the room reads: not the FAQ's source notes, which say where facts come from."""
    sections = [text for s in plan.sections for text in (s.title, s.script, s.audience, s.content_warning, *s.prompts)]
    faq = [text for entry in (*plan.faq, *LIBRARY.shared_faq) for text in (entry.question, entry.answer)]
    return [
        plan.title,
        plan.summary,
        plan.audience,
        *(o.text for o in plan.objectives),
        *sections,
        *faq,
        plan.signposting,
    ]


def without_history(text: str) -> str:
    """The text with every paragraph that starts with 'History:' (marked as history) left out."""
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(p for p in paragraphs if not re.match(r"^\W*History:", p.strip()))


@pytest.mark.parametrize("plan_id", ["signa-core", "upstander", "inclusive-workplace", "raising-concerns"])
def test_a_plan_filled_with_another_force_s_facts_shows_none_of_the_source_force_s(
    plan_id: str, tmp_path: Path
) -> None:
    plan = LIBRARY.get(plan_id)
    assert plan is not None
    assert plan.force_fields_missing == ()
    texts = [without_history(t) for t in shown_texts(plan)]
    for pattern in SOURCE_FORCE:
        found = [t for t in texts if re.search(pattern, t)]
        assert not found, f"{plan_id}: '{pattern}' outside history in: {found[0][:200]!r}"
    assert "{{" not in "".join(texts)
    card = plan.signposting
    assert "Fernshire Standards Unit" in card and "999" in card and "116 123" in card
    assert "Fernshire Sexual Violence Helpline: 01632 960558" in card
    assert "Jo Bloggs" in card

    script = tmp_path / "script.pdf"  # the facilitator script, as a trainer prints it
    write_facilitator_script(plan, LIBRARY.shared_faq, script)
    printed = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(script).pages)
    assert "Fernshire Standards Unit" in printed and ": not set]" not in printed


def test_upstander_teaches_the_force_s_own_values() -> None:
    plan = LIBRARY.get("upstander")
    assert plan is not None
    assert any("Candour, Service and Care" in s.script for s in plan.sections)


def test_it_s_settings_fill_in_what_hq_s_force_file_leaves_blank(paths: AppPaths) -> None:
    """The bundled force.toml leaves the force's name out: IT's force_name fills it in, everywhere a plan
    names the force; a [force] field IT sets does not override what HQ's file fills in."""
    paths.config_dir.mkdir(parents=True)
    paths.user_config.write_text(
        'force_name = "Fernshire Constabulary"\n[force]\nwellbeing_lead = "Jo Bloggs, Wellbeing, 01632 960111"\n'
    )
    library = load_plans(paths)  # the bundled plans, with the bundled force.toml and these settings
    signa = library.get("signa-core")
    assert signa is not None
    assert "Fernshire Constabulary runs it because" in signa.sections[0].script
    cards = [plan.signposting for plan in library.plans]
    assert all("{{" not in card and "not set]" not in card for card in cards)
    assert not any("Jo Bloggs" in card for card in cards)  # HQ's file names the wellbeing contact
    assert all(plan.force_fields_missing == () for plan in library.plans)
