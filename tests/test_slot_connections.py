"""No button passes Qt's `checked` into a slot whose first parameter has a default.

`button.clicked.connect(self.close_session)` calls `close_session(False)`, so a `confirm=True` default
became False and the session closed without its checklist; `start_kiosk(pin=None)` got a bool for a PIN.
This reads every connection in the app's source and fails on any such slot, so the class of bug stays gone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import trainer_desk

SIGNALS = {"clicked", "triggered", "toggled", "activated", "accepted", "finished", "returnPressed"}
SOURCE = Path(trainer_desk.__file__).parent


def _first_parameter_has_default(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    params = [*function.args.posonlyargs, *function.args.args][1:]  # after self
    return bool(params) and len(function.args.defaults) >= len(params)


def _methods_in_loops(cls: ast.ClassDef, call: ast.Call, name: str) -> list[str]:
    """`for text, slot in ((..., self.m), ...): button.clicked.connect(slot)`: each self.m is a slot."""
    found = []
    for loop in (n for n in ast.walk(cls) if isinstance(n, ast.For)):
        targets = {t.id for t in ast.walk(loop.target) if isinstance(t, ast.Name)}
        if name in targets and any(c is call for c in ast.walk(loop)):
            found += [
                ref.attr
                for ref in ast.walk(loop.iter)
                if isinstance(ref, ast.Attribute) and isinstance(ref.value, ast.Name) and ref.value.id == "self"
            ]
    return found


def defaulted_slots(root: Path) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            methods = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
            for call in (n for n in ast.walk(cls) if isinstance(n, ast.Call)):
                fn = call.func
                if not (
                    isinstance(fn, ast.Attribute)
                    and fn.attr == "connect"
                    and isinstance(fn.value, ast.Attribute)
                    and fn.value.attr in SIGNALS
                    and call.args
                ):
                    continue
                target = call.args[0]
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    names = [target.attr] if target.value.id == "self" else []
                elif isinstance(target, ast.Name):
                    names = _methods_in_loops(cls, call, target.id)
                else:
                    names = []
                for name in names:
                    if name in methods and _first_parameter_has_default(methods[name]):
                        problems.append(f"{path.relative_to(root)}:{call.lineno}: {fn.value.attr} -> {name}")
    return problems


def test_no_signal_passes_checked_into_a_defaulted_slot() -> None:
    assert defaulted_slots(SOURCE) == []


def test_the_check_finds_the_bug_it_is_for(tmp_path: Path) -> None:
    (tmp_path / "window.py").write_text(
        "class RegisterWindow:\n"
        "    def __init__(self):\n"
        "        for text, slot in (('Close', self.close_session),):\n"
        "            button.clicked.connect(slot)\n"
        "        self.kiosk.clicked.connect(self.start_kiosk)\n"
        "    def close_session(self, confirm=True): ...\n"
        "    def start_kiosk(self, pin=None): ...\n",
        encoding="utf-8",
    )
    assert sorted(defaulted_slots(tmp_path)) == [
        "window.py:4: clicked -> close_session",
        "window.py:5: clicked -> start_kiosk",
    ]
