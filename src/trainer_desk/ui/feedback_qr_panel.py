"""The close of a session on the audience screen, with the session's feedback link as a QR code beside the
close's own text: participants scan it with their phones and answer on HQ's form, instead of passing one
laptop round a room of twenty-five in the last few minutes."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from trainer_desk.ui.projected_text import ProjectedTextPanel

QR_SHARE = 0.6  # of the screen's height: big enough to scan from the back row


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
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(self.qr)
        column.addWidget(self.told)
        column.addWidget(self.link)
        column.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 24, 0)
        layout.addWidget(self.text, 3)
        layout.addLayout(column, 2)
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
        """The code as large as the screen allows, scaled by whole pixels' worth without smoothing, so every
        module stays a crisp square for a phone's camera."""
        if self._image.isNull():
            return
        side = max(120, int(min(self.height() * QR_SHARE, self.width() * 0.38)))
        self.qr.setPixmap(
            self._image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
        )


def _breakable(url: str) -> str:
    """The link with a zero-width space every 24 characters, so a long token wraps instead of running off."""
    return "\u200b".join(url[i : i + 24] for i in range(0, len(url), 24))
