from __future__ import annotations

import csv
import logging
from pathlib import Path

from trainer_desk.__main__ import main
from trainer_desk.logs import configure_logging
from trainer_desk.paths import AppPaths, bundled


def test_real_work_leaves_no_names_or_staff_numbers_in_the_log(paths: AppPaths) -> None:
    assert main(["--data-dir", str(paths.data_dir), "info"]) == 0
    assert main(["--data-dir", str(paths.data_dir), "backup"]) == 0
    log_text = "\n".join(p.read_text() for p in paths.log_dir.iterdir())
    assert "demo roster loaded: 260 people" in log_text
    with (bundled("resources") / "demo_roster.csv").open(encoding="utf-8") as handle:
        for person in csv.DictReader(handle):
            assert person["staff_number"] not in log_text
            assert person["surname"] not in log_text


def test_the_log_file_is_made_at_the_first_line_and_rotates(tmp_path: Path) -> None:
    path = configure_logging(tmp_path / "logs")
    log = logging.getLogger("trainer_desk.test")
    log.info("sync finished: %d record(s) sent", 3)
    assert path.read_text(encoding="utf-8").strip().endswith("trainer_desk.test: sync finished: 3 record(s) sent")
    for n in range(12_000):  # about 1.2 MB: past the 1 MB a file may hold
        log.info("housekeeping pass %05d done, nothing to report", n)
    assert (path.parent / f"{path.name}.1").is_file() and path.stat().st_size < 1_000_000
    root = logging.getLogger("trainer_desk")
    for handler in [h for h in root.handlers if getattr(h, "_trainer_desk", False)]:
        root.removeHandler(handler)  # later tests configure their own
        handler.close()
