"""Starting Trainer Desk loads only what its window needs: every command and heavy library is imported where it
is first needed. Each check runs a fresh interpreter, since this one has imported everything already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("keyring", "sqlcipher3", "openpyxl", "reportlab", "requests", "sqlalchemy", "fastapi", "uvicorn")


def modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_importing_the_entry_point_loads_no_command_and_no_heavy_library() -> None:
    loaded = modules_after("import trainer_desk.__main__")
    assert not {m for m in loaded if m.startswith("trainer_desk.commands.")}
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    assert not {m for m in loaded if m.startswith(("trainer_desk.hq", "trainer_desk.store", "PySide6"))}
    assert "importlib.metadata" not in loaded  # reading the version from metadata scans every package


def test_a_command_loads_its_own_module_only() -> None:
    loaded = modules_after(
        "from trainer_desk.__main__ import build_parser\n"
        "args = build_parser(['faq', 'search', 'banter']).parse_args(['faq', 'search', 'banter'])\n"
        "assert args.handler.__module__ == 'trainer_desk.commands.faq'"
    )
    assert {m for m in loaded if m.startswith("trainer_desk.commands.")} == {"trainer_desk.commands.faq"}
    assert "reportlab" not in loaded and "requests" not in loaded


def test_help_lists_every_command_without_loading_any() -> None:
    script = (
        "import contextlib, io, sys\n"
        "from trainer_desk.__main__ import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        "print(json.dumps(out.getvalue()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import json\n" + script + "print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    help_text = json.loads(result.stdout.splitlines()[-2])
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    for command in ("info", "plans", "faq", "roster", "sessions", "export", "enroll", "sync", "backup", "restore"):
        assert f"    {command} " in help_text
    assert not {m for m in loaded if m.startswith("trainer_desk.commands.")}


def test_the_window_is_drawn_before_the_keyring_or_the_database_is_loaded(tmp_path: Path) -> None:
    """The window shows its lesson plans from files; the keyring and the database layer follow its first paint."""
    loaded = modules_after(
        "import os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from trainer_desk.app import application, build_window_before_database\n"
        "from trainer_desk.logs import configure_logging\n"
        "from trainer_desk.paths import AppPaths\n"
        "from trainer_desk.ui.error_reporting import ErrorReporter\n"
        "from trainer_desk.ui.tasks import TaskRunner\n"
        f"paths = AppPaths.resolve({str(tmp_path / 'data')!r})\n"
        "paths.create()\n"
        "configure_logging(paths.log_dir)\n"
        "app = application()\n"
        "window = build_window_before_database(paths, TaskRunner(ErrorReporter(paths.log_dir / 'log.txt')))\n"
        "painted = []\n"
        "window.first_painted.connect(lambda: painted.append(True))\n"
        "window.show()\n"
        "while not painted:\n"
        "    app.processEvents()\n"
        "assert window.plans_panel is not None and window.plans_panel.list.count() >= 4\n"
    )
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    database_layer = {
        m for m in loaded if m.startswith(("trainer_desk.store.", "trainer_desk.key_store", "trainer_desk.hq"))
    }
    assert database_layer == {"trainer_desk.store.instance_lock"}  # only the lock, claimed before anything shows
    after_first_paint = ("sessions_panel", "roster_panel", "delivery_launch")
    assert not {f"trainer_desk.ui.{name}" for name in after_first_paint} & loaded
    # The log file's rotating handler (with socket and pickle) and OpenSSL's hashes wait for their first use.
    assert "logging.handlers" not in loaded and "_hashlib" not in loaded


def test_modules_imported_after_qt_keep_no_source_in_memory() -> None:
    """PySide6 asks of modules imported after it whether they use PySide6. The app answers from the file's
    bytes, so the sources of the 230-odd modules it imports are not kept in Python's line cache for the rest of
    the day (about 8 MiB); and each answer is the one PySide6 would have given itself."""
    script = (
        "import inspect, json, linecache, sys\n"
        "from trainer_desk.ui.pyside_tuning import read_module_sources_lightly\n"
        "read_module_sources_lightly()\n"
        "import trainer_desk.app\n"
        "cached = sorted(linecache.cache)\n"
        "answers = sys.modules['shibokensupport.feature'].pyside_feature_dict\n"
        "ours = {name: answer for name, answer in answers.items() if name.startswith('trainer_desk')}\n"
        "pyside = {name: 0 if 'PySide6' in inspect.getsource(sys.modules[name]) else -1 for name in ours}\n"
        "print(json.dumps([cached, ours, pyside]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    cached, answers, pyside_would_answer = json.loads(result.stdout.splitlines()[-1])
    assert cached == []
    assert set(answers.values()) == {0, -1}  # some of our modules use PySide6, some do not
    assert answers == pyside_would_answer


def test_a_window_left_ready_holds_no_pdf_spreadsheet_or_network_library(tmp_path: Path) -> None:
    """Once every area is ready (the database open, its views filled) and the trainer has not exported or
    synced anything, the PDF library and its image and Arabic-shaping helpers, the spreadsheet reader and the
    HTTP client are still not loaded: each costs memory the whole day (reportlab alone about 10 MiB)."""
    loaded = modules_after(
        "import os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from trainer_desk.__main__ import main\n"
        f"assert main(['--data-dir', {str(tmp_path / 'data')!r}, '--exit-after', '0']) == 0\n"
    )
    assert "trainer_desk.ui.reports_panel" in loaded  # the deferred areas were built
    late = ("openpyxl", "reportlab", "requests", "PIL", "arabic_reshaper", "bidi", "fontTools", "keyring")
    assert not {m for m in loaded if m.split(".")[0] in late}
