"""Markdown shown as markdown, and never as HTML written inside it.

Plans, FAQ answers and questions noted in class (which become FAQ entries once HQ answers them) reach every
laptop. Qt's markdown takes raw HTML in the text as HTML: an `<img src="file:///...">` in a section fetched a
local file into the presenter, and a question's `</textarea><script>` vanished from what was shown. Every view
of markdown goes through here, with HTML in it shown as the letters it is.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

FEATURES = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML


def show_markdown(view: QTextEdit, text: str) -> None:
    """Put `text` in `view` as markdown without HTML, read from its start."""
    view.document().setMarkdown(text, FEATURES)
    view.moveCursor(QTextCursor.MoveOperation.Start)
