from __future__ import annotations

import csv

from trainer_desk.__main__ import main
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
