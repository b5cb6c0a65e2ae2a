"""Answers to the hard questions, found as the trainer types, and a line to note one for HQ."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.lesson_plan import FaqEntry
from trainer_desk.store.faq_index import FaqIndex
from trainer_desk.ui.markdown_text import show_markdown


class FaqPanel(QWidget):
    question_noted = Signal(str)

    def __init__(self, index: FaqIndex) -> None:
        super().__init__()
        self.index = index
        self.setAccessibleName("Frequently asked questions")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the FAQ: type a few words")
        self.search.setAccessibleName("Search the FAQ")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setAccessibleName("Matching questions")
        self.results.setWordWrap(True)
        self.answer = QTextBrowser()
        self.answer.setAccessibleName("Answer")
        self.answer.setOpenExternalLinks(False)
        self.note = QLineEdit()
        self.note.setPlaceholderText("The question, as it was asked")  # the label above says what it is for
        self.note.setAccessibleName("Question to send to HQ")
        self.note_button = QPushButton("Note for HQ")
        self.note_button.setAccessibleName("Note this question for HQ")
        self.note_state = QLabel()
        self.note_state.setAccessibleName("Noted question state")
        self.note_state.setWordWrap(True)

        noting = QHBoxLayout()
        noting.addWidget(self.note, 1)
        noting.addWidget(self.note_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>FAQ</b>"))
        layout.addWidget(self.search)
        layout.addWidget(self.results, 2)
        layout.addWidget(self.answer, 3)
        asked = QLabel("Not answered here? Note the question for HQ:")
        asked.setWordWrap(True)  # in its lines, not wider than the presenter's column
        asked.setBuddy(self.note)
        layout.addWidget(asked)
        layout.addLayout(noting)
        layout.addWidget(self.note_state)

        self._carried = ""  # what the note holds from the search, rather than as the trainer wrote it
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.results.currentItemChanged.connect(self._on_results_current_changed)
        self.note.returnPressed.connect(self._on_note_submitted)
        self.note_button.clicked.connect(self._on_note_submitted)
        self._on_search_text_changed("")

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def shown_questions(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]

    def _on_search_text_changed(self, text: str) -> None:
        self.results.clear()
        for entry in self.index.search(text):
            item = QListWidgetItem(entry.question)
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.results.addItem(item)
        # What was searched for is the question to note, if the answers found do not answer it: not typed
        # again mid-class. (The search finds something for most real questions, so this is not left to a search
        # that finds nothing.) A note the trainer wrote themselves is never overwritten.
        if self.note.text() == self._carried:
            self._carried = " ".join(text.split())
            self.note.setText(self._carried)
        self.note_state.clear()  # "Noted" was about the last question
        if self.results.count():
            self.results.setCurrentRow(0)
        else:
            show_markdown(self.answer, "*No question matches. If nobody can answer it, note it below for HQ.*")

    def _on_search_return_pressed(self) -> None:
        """Enter goes to the answers, or, with none, to the question to note (already filled in)."""
        (self.results if self.results.count() else self.note).setFocus()

    def _on_results_current_changed(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        entry: FaqEntry = item.data(Qt.ItemDataRole.UserRole)
        source = f"\n\n*Source: {entry.source}*" if entry.source else ""
        show_markdown(self.answer, f"**{entry.question}**\n\n{entry.answer}{source}")

    def _on_note_submitted(self) -> None:
        text = self.note.text().strip()
        if text:
            self.question_noted.emit(text)
            self.note.clear()
            self._carried = ""

    def show_noted(self, saved: bool, detail: str = "") -> None:
        self.note_state.setText("Noted: it goes to HQ with the next sync." if saved else f"Not saved: {detail}")
