"""`trainer-desk faq search` as a trainer runs it: a real process, its printed questions and its exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled

LIBRARY = load_library(bundled("lesson_plans"))


def _faq(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "trainer_desk", "--data-dir", str(tmp_path / "data"), "faq", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_search_prints_the_best_questions_one_a_line(tmp_path: Path) -> None:
    # Misspelt, as trainers type it. Across every plan, "harrassment" alone now puts Signa's "I've never harassed
    # anyone" first (the banter answer grew with the law's whole test); asking for the line picks the banter one.
    done = _faq(tmp_path, "search", "the line on harrassment")
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert printed[0] == "Where exactly is the line between banter and harassment?"
    assert 1 < len(printed) <= 5
    asked = {e.question for p in LIBRARY.plans for e in p.faq} | {e.question for e in LIBRARY.shared_faq}
    assert set(printed) <= asked


def test_every_plan_is_searched_and_a_question_two_plans_ask_is_printed_once(tmp_path: Path) -> None:
    done = _faq(tmp_path, "search", "police staff not an officer, does this apply to me", "--limit", "10")
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert printed[0] == "I'm police staff, not an officer. Does this apply to me?"  # raising-concerns and upstander
    assert len(printed) == len(set(printed)) == 10


def test_a_plan_narrows_the_search_to_its_faq_and_the_shared_one(tmp_path: Path) -> None:
    plan = LIBRARY.get("upstander")
    assert plan is not None
    done = _faq(tmp_path, "search", "what counts as banter", "--plan", "upstander", "--limit", "50")
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert printed[0] == "It was only banter. Where's the line?"
    assert set(printed) <= {e.question for e in plan.faq} | {e.question for e in LIBRARY.shared_faq}
    assert "Where exactly is the line between banter and harassment?" not in printed  # Signa's, not Upstander's


def test_an_unknown_plan_is_refused_with_the_plans_there_are(tmp_path: Path) -> None:
    done = _faq(tmp_path, "search", "banter", "--plan", "no-such-plan")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "no-such-plan" in done.stderr
    assert all(plan.id in done.stderr for plan in LIBRARY.plans)
    assert "Traceback" not in done.stderr


def test_nothing_to_search_by_and_nothing_found_are_said_plainly(tmp_path: Path) -> None:
    only_stop_words = _faq(tmp_path, "search", "what if I")
    assert only_stop_words.returncode == 1
    assert "nothing to search by" in only_stop_words.stderr
    not_in_the_faq = _faq(tmp_path, "search", "quantum chromodynamics")
    assert not_in_the_faq.returncode == 0
    assert not_in_the_faq.stdout == ""
    assert "no FAQ question matches" in not_in_the_faq.stderr


def test_the_command_module_imports_nothing_heavy() -> None:
    """Every start of trainer-desk imports the command modules: plans and the index load only when searching."""
    check = (
        "import sys, trainer_desk.commands.faq; "
        "print(sorted(m for m in ('sqlite3', 'trainer_desk.store.faq_index', 'trainer_desk.lesson_content') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"
