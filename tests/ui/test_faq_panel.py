"""The presenter's FAQ shows what HQ and questions noted in class wrote as text: HTML inside an answer is shown as
the letters it is, not fetched or run (an answer once pulled a local file into the presenter as a picture)."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from trainer_desk.core.lesson_plan import FaqEntry
from trainer_desk.store.faq_index import FaqIndex
from trainer_desk.ui.faq_panel import FaqPanel


def test_html_in_a_faq_answer_is_shown_as_written_and_markdown_still_formats(qtbot: QtBot) -> None:
    index = FaqIndex(
        [FaqEntry("Can a joke be reported?", 'Yes, **always**. <img src="file:///etc/hosts"> <script>x()</script>')]
    )
    panel = FaqPanel(index)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.search, "joke reported")
    qtbot.waitUntil(lambda: "always" in panel.answer.toPlainText(), timeout=3000)
    shown = panel.answer.toPlainText()
    assert '<img src="file:///etc/hosts">' in shown and "<script>x()</script>" in shown
    assert "**" not in shown  # markdown itself still formats: bold, not asterisks
    document: QTextDocument = panel.answer.document()
    assert "<img" not in document.toHtml().replace("&lt;img", "")  # no picture in it
    index.close()
