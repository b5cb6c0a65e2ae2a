"""The presenter's keyboard: one table drives both the shortcuts and the help overlay that lists them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from trainer_desk.ui.screen_fit import ScrollingBody, fit_to_screen


@dataclass(frozen=True, slots=True)
class Shortcut:
    action: str  # the PresenterWindow method it calls
    keys: tuple[str, ...]
    meaning: str


PRESENTER_SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("next_section", ("Right", "PgDown", "N"), "Next page of a long text, or next section"),
    Shortcut("previous_section", ("Left", "PgUp"), "Previous page, or previous section"),
    Shortcut("toggle_pause", ("P",), "Pause or resume the clock"),
    Shortcut("toggle_video", ("K", "Media Play"), "Play or pause the video"),
    Shortcut("toggle_captions", ("C",), "Captions on or off"),
    Shortcut("toggle_blank", ("B", "."), "Blank the audience screen (again to bring it back)"),
    Shortcut("toggle_signposting", ("S",), "Show the signposting card (again to hide it)"),
    Shortcut("open_faq", ("F", "Ctrl+F"), "Search the FAQ"),
    Shortcut("back_to_sections", ("Escape",), "Back to the sections, from the FAQ or a film's controls"),
    Shortcut("larger_text", ("Ctrl++", "Ctrl+="), "Larger script text"),
    Shortcut("smaller_text", ("Ctrl+-",), "Smaller script text"),
    Shortcut("show_help", ("F1", "?"), "Show these shortcuts"),
    Shortcut("end_delivery", ("Ctrl+E",), "End the session"),
)
# The register's window: closed as by its close button, asked about first when someone waits or is not saved.
CLOSE_REGISTER_KEY = "Ctrl+W"


class ShortcutHelpDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows = "".join(
            f"<tr><td style='padding:4px 16px 4px 0'><b>{' or '.join(s.keys)}</b></td><td>{s.meaning}</td></tr>"
            for s in PRESENTER_SHORTCUTS
        )
        text = QLabel(
            f"<table>{rows}</table><p><b>Ctrl+Q</b> quits Trainer Desk from any of its windows (it asks first "
            "while a session is presented).</p>"
            f"<p><b>{CLOSE_REGISTER_KEY}</b> closes the register's window (it asks first while scanned people wait "
            "for an answer or a change is not saved).</p>"
        )
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setStyleSheet("font-size: 14pt;")
        # The list takes focus, so a screen reader reads it and the keyboard can scroll it; Close (or Esc) ends it.
        text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        text.setAccessibleName("The presenter's keyboard shortcuts")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        # On a small screen the list scrolls and Close stays in view.
        layout.addWidget(ScrollingBody(text, "Keyboard shortcuts"), 1)
        layout.addWidget(close)
        fit_to_screen(self)
        text.setFocus()
