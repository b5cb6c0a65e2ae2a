"""Memory while a 720p film plays, against the floor: a bare PySide6 window playing the same file with
QMediaPlayer and QVideoWidget, measured in the same run.

Two screens, as in a classroom (offscreen: a 1920x1080 laptop and a 1280x720 projector). Trainer Desk plays
the film on the audience window, full screen on the projector, with its preview in the presenter window; the
floor plays it in one QVideoWidget, full screen on the projector. Each runs in its own fresh process, which
reports its resident set (VmRSS) every quarter second while frames arrive.

Then the leak check: the film played twenty times in a row in the app (leave the film's section, come back,
play), with the resident set after each play; growth is what play 20 holds over play 5, once caches are warm.
Targets (issue): playing <= 1.2x the floor; no growth over twenty plays.
Run: `.venv/bin/python bench/video.py [--seconds S] [--plays N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILM = ROOT / "lesson_plans" / "signa-core" / "videos" / "voices.mp4"  # 1280x720, H.264
SCREEN = {"logicalDpi": 96, "logicalBpp": 32, "dpr": 1}
SCREENS = {
    "screens": [
        {"name": "LAPTOP", "x": 0, "y": 0, "width": 1920, "height": 1080, **SCREEN},
        {"name": "PROJECTOR", "x": 1920, "y": 0, "width": 1280, "height": 720, **SCREEN},
    ]
}


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def frames_counter(sink: object) -> list[int]:
    """A one-item list counting the valid frames `sink` (a QVideoSink) receives."""
    seen = [0]
    sink.videoFrameChanged.connect(lambda frame: seen.__setitem__(0, seen[0] + (1 if frame.isValid() else 0)))  # type: ignore[attr-defined]
    return seen


def wait_until(app: object, condition: object, seconds: float) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(int(seconds * 1000))
    while not condition():  # type: ignore[operator]
        if deadline.hasExpired():
            raise SystemExit("no video frames arrived: video cannot play on this machine")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)  # type: ignore[attr-defined]


def sample_while_playing(app: object, seconds: float) -> list[float]:
    from PySide6.QtCore import QElapsedTimer

    samples: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    while clock.elapsed() < seconds * 1000:
        wait_briefly(app, 250)
        samples.append(rss_mib())
    return samples


def wait_briefly(app: object, ms: int) -> None:
    from PySide6.QtCore import QElapsedTimer, QEventLoop

    clock = QElapsedTimer()
    clock.start()
    while clock.elapsed() < ms:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)  # type: ignore[attr-defined]


def child_bare(seconds: float) -> dict[str, object]:
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
    from PySide6.QtMultimediaWidgets import QVideoWidget
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    widget = QVideoWidget()
    projector = app.screens()[-1]
    widget.setGeometry(projector.geometry())
    widget.showFullScreen()
    player = QMediaPlayer()
    audio = QAudioOutput()
    player.setAudioOutput(audio)
    player.setVideoOutput(widget)
    seen = frames_counter(widget.videoSink())
    player.setSource(QUrl.fromLocalFile(str(FILM)))
    player.play()
    wait_until(app, lambda: seen[0] >= 2, 30)
    samples = sample_while_playing(app, seconds)
    player.stop()
    return {"playing": samples, "frames": seen[0]}


def child_app(seconds: float, plays: int) -> dict[str, object]:
    from trainer_desk.ui.pyside_tuning import read_module_sources_lightly

    read_module_sources_lightly()  # as the app's entry point does before it imports its windows
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from trainer_desk.app import application
    from trainer_desk.core.plan_library import load_library
    from trainer_desk.keychain import KeychainInChild
    from trainer_desk.paths import AppPaths, bundled
    from trainer_desk.ui.delivery_launch import DeliveryLauncher
    from trainer_desk.ui.tasks import TaskRunner
    from trainer_desk.workspace import open_workspace

    app = application()
    with tempfile.TemporaryDirectory() as folder:
        # The database is encrypted, its key kept in a throw-away file keyring (set up by `main`) reached as
        # the window reaches a keyring: through a child process.
        workspace = open_workspace(AppPaths.resolve(Path(folder) / "data"), keychain=KeychainInChild())
        tasks = TaskRunner()
        library = load_library(bundled("lesson_plans"))
        plan = library.get("signa-core")
        assert plan is not None and plan.sections[1].video is not None
        launcher = DeliveryLauncher(workspace, tasks, library)
        presenter = launcher.rehearse(plan)
        wait_briefly(app, 300)

        def play_the_film() -> list[int]:
            QTest.keyClick(presenter, Qt.Key.Key_Right)  # section 2 is the film
            seen = frames_counter(presenter.audience.video.videoSink())
            QTest.keyClick(presenter, Qt.Key.Key_K)  # play
            wait_until(app, lambda: seen[0] >= 2, 30)
            return seen

        seen = play_the_film()
        playing = sample_while_playing(app, seconds)
        after_each: list[float] = []
        for _ in range(plays):
            QTest.keyClick(presenter, Qt.Key.Key_Left)  # away from the film, which stops and unloads it
            wait_briefly(app, 200)
            play_the_film()
            wait_briefly(app, 1500)
            after_each.append(rss_mib())
        presenter.close()
        tasks.wait()
        workspace.close()
    return {"playing": playing, "frames": seen[0], "after_each_play": after_each}


def run_child(kind: str, seconds: float, plays: int, env: dict[str, str]) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", kind, "--seconds", str(seconds), "--plays", str(plays)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"the {kind} player failed:\n{result.stderr[-2000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0, help="how long to sample while the film plays")
    parser.add_argument("--plays", type=int, default=20)
    parser.add_argument("--child", choices=("bare", "app"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bare":
        print(json.dumps(child_bare(args.seconds)))
        return 0
    if args.child == "app":
        print(json.dumps(child_app(args.seconds, args.plays)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        screens = Path(folder) / "screens.json"
        screens.write_text(json.dumps(SCREENS))
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
            "PYTHONPATH": str(ROOT),
            # Named here, not imported from the tests: that would load the keyring package into the app measured.
            "PYTHON_KEYRING_BACKEND": "tests.file_keyring.FileKeyring",
            "TRAINER_DESK_TEST_KEYRING_FILE": str(Path(folder) / "keyring.json"),
        }
        bare = run_child("bare", args.seconds, args.plays, env)
        ours = run_child("app", args.seconds, args.plays, env)
    bare_mib = statistics.median(bare["playing"])  # type: ignore[arg-type]
    our_mib = statistics.median(ours["playing"])  # type: ignore[arg-type]
    print(f"film: {FILM.relative_to(ROOT)} (1280x720), sampled every 0.25 s for {args.seconds:g} s while playing")
    print(f"bare QMediaPlayer + QVideoWidget:        median {bare_mib:6.1f} MiB  peak {max(bare['playing']):6.1f} MiB")  # type: ignore[type-var]
    print(f"Trainer Desk (audience + preview):       median {our_mib:6.1f} MiB  peak {max(ours['playing']):6.1f} MiB")  # type: ignore[type-var]
    print(f"ratio Trainer Desk / bare:               {our_mib / bare_mib:.2f}x   target <= 1.2x")
    after = [float(x) for x in ours["after_each_play"]]  # type: ignore[union-attr]
    if len(after) >= 10:
        settled = after[4:]  # from play 5: the decoder's pools and the caches are warm by then
        slope = statistics.linear_regression(range(len(settled)), settled).slope
        print(f"{len(after)} plays in a row, MiB after each: " + " ".join(f"{x:.0f}" for x in after))
        print(
            f"  growth from play 5 to play {len(after)}: {after[-1] - after[4]:+.1f} MiB; "
            f"trend {slope:+.2f} MiB per play   target: none"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
