"""The close of a session on the audience screen, with the session's feedback link as a QR code beside the
close's own text: participants scan it with their phones and answer on HQ's form, instead of passing one
laptop round a room of twenty-five in the last few minutes.

The words under the code and the link itself are set at the size of the close's body text, scaled with the
screen like it: someone whose phone cannot scan has to read the link from the back row and type it. The link
runs the width of the screen under the close's text and the code, so even the longest takes a few lines; the
code has the height that is left.
"""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from trainer_desk.ui.projected_panel import ProjectedTextPanel
from trainer_desk.ui.projected_text import arrange, back_row_px

QR_SHARE = 0.6  # of the screen's height: big enough to scan from the back row
COLUMN_SHARE = 0.4  # of the screen's width, for the code and the words under it
MARGIN = 24
LINK_BREAK_EVERY = 8  # characters between the places a long link may wrap


class FeedbackQrPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("feedbackPage")
        self.text = ProjectedTextPanel("Projected content")
        self.qr = QLabel()
        self.qr.setObjectName("feedbackQr")
        self.qr.setAccessibleName("QR code of the feedback form")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.told = QLabel("Your feedback, on your phone: scan this, or type the link below.")
        self.told.setObjectName("feedbackTold")
        self.told.setWordWrap(True)
        self.told.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.link = QLabel()
        self.link.setObjectName("feedbackLink")
        self.link.setAccessibleName("Link to the feedback form")
        self.link.setWordWrap(True)
        self.link.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.link.setContentsMargins(MARGIN, 0, 0, MARGIN)
        self.column = QWidget()
        self._column_layout = column = QVBoxLayout(self.column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addStretch(1)
        column.addWidget(self.qr)
        column.addWidget(self.told)
        column.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.text, 1)
        top.addWidget(self.column)
        # the link runs the width of the screen, under both: a long one takes a few lines, not a column's ten
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, MARGIN, 0)
        self._layout.addLayout(top, 1)
        self._layout.addWidget(self.link)
        self._image = QPixmap()

    def show_link(self, url: str, markdown: str) -> None:
        """`url` as a QR code (segno, imported only when a close is shown), with the close's text."""
        import segno

        png = io.BytesIO()
        segno.make(url, error="m").save(png, kind="png", scale=8, border=4, dark="#000000", light="#ffffff")
        self._image.loadFromData(png.getvalue(), "PNG")
        self.link.setText(_breakable(url))
        self.text.set_markdown(markdown)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The words and the link at least at the close's body size and the back-row size, and the code as
        large as the screen allows in the height they leave, scaled by whole pixels' worth without smoothing,
        so every module stays a crisp square for a phone's camera."""
        if self._image.isNull() or self.width() <= 0 or self.height() <= 0:
            return
        height = self.height()
        self.qr.clear()  # the code at its old size would hold the column open while the rest is laid out
        self.column.setFixedWidth(max(120, round(self.width() * COLUMN_SHARE)))
        self._layout.activate()  # the close's text takes the rest of the width now, so its size can be read
        px = self._link_px(height)
        _with_px(self.told, px)
        self._layout.activate()
        width = self.column.width()
        room = self.column.height() - self.told.heightForWidth(width) - max(0, self._column_layout.spacing())
        side = max(120, int(min(height * QR_SHARE, width, room)))
        self.qr.setPixmap(
            self._image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
        )

    def _link_px(self, height: int) -> int:
        """The largest size for the link at which the close's text, in the height the link leaves it, is no
        larger than the link and no smaller than the back row can read; failing that, the back-row size or the
        text's, whichever is larger. The link is set at that size here."""
        floor = back_row_px(height)
        width, spacing = self.link.width(), max(0, self._layout.spacing())
        start = max(floor, arrange(self.text.markdown, self.text.width(), height).px)
        for px in range(start, floor - 1, -1):
            left = height - _with_px(self.link, px).heightForWidth(width) - spacing
            if floor <= arrange(self.text.markdown, self.text.width(), left).px <= px:
                return px
        left = height - _with_px(self.link, floor).heightForWidth(width) - spacing
        px = max(floor, arrange(self.text.markdown, self.text.width(), left).px)
        _with_px(self.link, px)
        return px


def _with_px(label: QLabel, px: int) -> QLabel:
    font = QFont(label.font())
    font.setPixelSize(px)
    label.setFont(font)
    return label


def _breakable(url: str) -> str:
    """The link with a zero-width space every few characters, so a long token wraps and fills each line
    instead of running off."""
    every = LINK_BREAK_EVERY
    return "\u200b".join(url[i : i + every] for i in range(0, len(url), every))
