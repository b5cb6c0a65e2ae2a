"""Malformed manifests never crash the validator, and every problem names a file and a real line."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer_desk.core.plan_loader import load_plan

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "plans" / "example-plan"
LINES = (EXAMPLE / "plan.toml").read_text().splitlines()

toml_values = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.text(max_size=20).map(lambda t: '"' + t.replace("\\", "").replace('"', "").replace("\n", " ") + '"'),
    st.sampled_from(["true", "[]", '["x"]', "{}", "1.5", "[[", '"""', "= =", "", "[sections.video]", "[[sections]]"]),
)


@st.composite
def mutated_manifest(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "revalue", "insert", "duplicate"]))
        if action == "delete":
            del lines[where]
        elif action == "revalue" and "=" in lines[where]:
            key = lines[where].split("=", 1)[0]
            lines[where] = f"{key}= {draw(toml_values)}"
        elif action == "insert":
            key = draw(st.sampled_from(["id", "minutes", "kind", "objectives", "script", "bogus", "file"]))
            lines.insert(where, f"{key} = {draw(toml_values)}")
        else:
            lines.insert(where, lines[where])
        if not lines:
            break
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_manifest())
def test_a_mutated_manifest_is_loaded_or_explained(manifest: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        plan_dir = Path(folder) / "example-plan"
        shutil.copytree(EXAMPLE, plan_dir)
        (plan_dir / "plan.toml").write_text(manifest)
        plan, problems = load_plan(plan_dir)
        assert (plan is None) == any(not p.warning for p in problems)  # a missing film only warns
        line_count = len(manifest.splitlines())
        for problem in problems:
            assert problem.message and "could not be checked" not in problem.message
            assert problem.file.resolve().is_relative_to(plan_dir.resolve())
            if problem.file.name == "plan.toml":
                assert 1 <= problem.line <= max(line_count, 1)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_as_a_manifest_are_explained(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        plan_dir = Path(folder) / "example-plan"
        shutil.copytree(EXAMPLE, plan_dir)
        (plan_dir / "plan.toml").write_bytes(data)
        plan, problems = load_plan(plan_dir)
        assert plan is None and problems
        assert all("could not be checked" not in p.message for p in problems)
