"""A force's own facts reach its plans through `{{force.…}}` fields: filled when the plans load, shown as not
set when nobody has filled them, and a misspelt field is an error at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trainer_desk.__main__ import main
from trainer_desk.core.force_fields import ForceFields
from trainer_desk.core.plan_loader import load_plan

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "plans" / "example-plan"

FERNSHIRE = """
[force]
name = "Fernshire Constabulary"
values = "Candour, Service and Care"
reporting_routes = \"\"\"
- **Fernshire Standards Unit**: 01632 960555
\"\"\"
"""


def plan_with_fields(root: Path) -> Path:
    """The example plan, its script, slide, FAQ and support card written with force fields."""
    plan = root / "example-plan"
    shutil.copytree(EXAMPLE, plan)
    welcome = plan / "sections" / "01-welcome.md"
    opening = "Welcome to {{force.name}}'s session.\n\nOur values: {{ force.values }}.\n"
    welcome.write_text(opening + welcome.read_text())
    card = "# Report it\n\n{{force.reporting_routes}}\n\nAfterwards: {{force.wellbeing_lead}}\n"
    (plan / "signposting.md").write_text(card)
    manifest = plan / "plan.toml"
    manifest.write_text(manifest.read_text().replace('audience = """', 'audience = """\n{{force.name}}', 1))
    return plan


def test_a_plan_shows_the_force_s_facts_and_says_which_are_not_set(tmp_path: Path) -> None:
    folder = plan_with_fields(tmp_path)
    (tmp_path / "force.toml").write_text(FERNSHIRE)
    force = ForceFields({"name": "Fernshire Constabulary", "values": "Candour, Service and Care"})
    plan, problems = load_plan(folder, force)
    assert plan is not None
    welcome = plan.sections[0]
    assert "Welcome to Fernshire Constabulary's session." in welcome.script
    assert "Our values: Candour, Service and Care." in welcome.script
    assert "Fernshire Constabulary" in welcome.audience
    assert "[the force's routes for reporting a colleague, with contacts: not set]" in plan.signposting
    assert plan.force_fields_missing == ("reporting_routes", "wellbeing_lead")
    assert any("force field 'wellbeing_lead'" in p.message and p.warning for p in problems)
    assert "{{" not in plan.signposting + welcome.script
    notices = plan.before_you_start()
    assert any("the wellbeing contact for this session" in n for n in notices)


def test_validate_names_a_misspelt_field_at_its_line_and_warns_of_blank_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = plan_with_fields(tmp_path)
    (tmp_path / "force.toml").write_text(FERNSHIRE)
    assert main(["plans", "validate", str(tmp_path)]) == 0  # blank fields are warnings: the plan can be used
    captured = capsys.readouterr()
    assert "warning: force field 'wellbeing_lead' (the wellbeing contact for this session) is not set" in captured.err
    assert "force field 'values'" not in captured.err and "force field 'reporting_routes'" not in captured.err
    assert "all valid, 1 warning" in captured.out

    card = folder / "signposting.md"
    card.write_text(card.read_text() + "\nCall {{force.wellbeing_led}} today.\n")
    assert main(["plans", "validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{card}:7: '{{{{force.wellbeing_led}}}}' is not a force field" in err

    (tmp_path / "force.toml").write_text('[force]\nmotto = "Onwards"\n')
    assert main(["plans", "validate", str(tmp_path / "force.toml")]) == 1
    assert "unknown force field 'motto'" in capsys.readouterr().err


def test_validate_checks_each_force_s_own_file_as_it_checks_force_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plan author checking the plans folder before zipping it finds a misspelt field in forces/WST.toml
    there, rather than when HQ refuses the upload."""
    plan_with_fields(tmp_path)
    (tmp_path / "force.toml").write_text(FERNSHIRE)
    (tmp_path / "forces").mkdir()
    (tmp_path / "forces" / "WST.toml").write_text('[force]\nwellbeing_led = "Westshire Wellbeing Service"\n')
    assert main(["plans", "validate", str(tmp_path)]) == 1
    assert f"{tmp_path / 'forces' / 'WST.toml'}:1: unknown force field 'wellbeing_led'" in capsys.readouterr().err
