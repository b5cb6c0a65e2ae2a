"""Run by a test in a child process started on two screens (the laptop and a projector of the size under test):
put the audience screen on the projector as a session does, show the longest section of the bundled plans,
every page of a signposting card and the longest caption of the bundled films, and print as JSON what the
room sees of each (see `test_audience_legibility`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontInfo, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QLabel, QTextBrowser, QWidget

from trainer_desk.core.plan_library import load_library
from trainer_desk.core.webvtt import parse_webvtt
from trainer_desk.paths import bundled
from trainer_desk.ui.audience_window import AudienceWindow, default_audience_screen
from trainer_desk.ui.presentation import AudienceView, Presentation


def box(widget: QWidget, window: QWidget) -> list[int]:
    return list(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()).getRect())


def text_box(browser: QTextBrowser, window: QWidget) -> dict[str, Any]:
    """A text box as the room sees it: where, how much its text needs, and each line it is set in."""
    document = browser.document()
    lines = []
    block = document.begin()
    while block.isValid():
        layout = block.layout()
        heading = block.blockFormat().headingLevel() > 0
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            text = block.text()[line.textStart() : line.textStart() + line.textLength()].strip()
            px = QFontInfo(block.charFormat().font()).pixelSize() if heading else None
            lines.append({"text": text, "heading": heading, "height": line.height(), "px": px})
        block = block.next()
    viewport = browser.viewport()
    return {
        "name": browser.accessibleName(),
        "box": box(viewport, window),
        "needs": [document.idealWidth(), document.size().height()],
        "body_px": document.defaultFont().pixelSize(),
        "lines": lines,
    }


def wrapped(label: QLabel) -> list[dict[str, Any]]:
    """The lines `label`'s text is set in, as its word wrap breaks them in its width."""
    lines = []
    for paragraph in label.text().split("\n"):
        layout = QTextLayout(paragraph, label.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(label.contentsRect().width())
            text = paragraph[line.textStart() : line.textStart() + line.textLength()].strip()
            lines.append({"text": text, "height": line.height()})
        layout.endLayout()
    return lines


def main() -> None:
    app = QApplication(sys.argv)
    plans = load_library(bundled("lesson_plans")).plans
    plan, longest = max(
        ((p, i) for p in plans for i, s in enumerate(p.sections) if s.video is None),
        key=lambda found: len(found[0].sections[found[1]].audience),
    )
    window = AudienceWindow(Presentation(plan))
    screen, full = default_audience_screen()
    window.place_on(screen, full)
    for _ in range(20):
        app.processEvents()
    seen: dict[str, Any] = {
        "screen": screen.name(),
        "window": list(window.geometry().getRect()),
        "projector": list(screen.geometry().getRect()),
        "views": [],
    }

    window.presentation.go_to(longest)
    app.processEvents()
    section = plan.sections[longest]
    seen["views"].append(
        {"what": f"{plan.id} {section.id}", "boxes": [text_box(b, window) for b in window.content.browsers()]}
    )

    window.presentation.set_view(AudienceView.SIGNPOSTING)
    app.processEvents()
    page = 1
    while True:
        boxes = [text_box(b, window) for b in window.signposting.browsers()]
        seen["views"].append({"what": f"{plan.id} signposting, page {page}", "boxes": boxes})
        if not window.turn_page(1):
            break
        app.processEvents()
        page += 1
    window.presentation.set_view(AudienceView.CONTENT)

    film = next(i for i, s in enumerate(plan.sections) if s.video is not None)
    captions = [
        cue.text
        for path in Path(bundled("lesson_plans")).glob("*/videos/*.vtt")
        for cue in parse_webvtt(path.read_text(encoding="utf-8"))
    ]
    window.presentation.go_to(film)
    window.show_video_playing(True)
    window.show_caption(max(captions, key=len))
    for _ in range(5):
        app.processEvents()
    window.film.layout().activate()
    caption = window.caption
    seen["caption"] = {
        "px": QFontInfo(caption.font()).pixelSize(),
        "box": box(caption, window),
        "lines": wrapped(caption),
        "room": caption.contentsRect().height(),
    }
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
