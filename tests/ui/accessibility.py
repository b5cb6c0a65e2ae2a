"""Walk a window's widgets and list every interactive one a screen reader could not name.

Only widgets a person can reach count: hidden pages and closed popups (a combo box's list) are skipped, so
tests show each state of a window that has one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,  # a text box, or a scroll area that takes Tab: a stop a screen reader must name
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


def unnamed_interactive_widgets(root: QWidget) -> list[str]:
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if widget is not root and not widget.isVisibleTo(root):  # closed popups and hidden pages
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):  # the named control's own editor
            continue
        if not widget.accessibleName() and not _has_visible_text(widget):
            found.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return found


def _has_visible_text(widget: QWidget) -> bool:
    # Buttons with text are named by it, as screen readers read the text.
    return isinstance(widget, QAbstractButton) and bool(widget.text().replace("&", "").strip())
