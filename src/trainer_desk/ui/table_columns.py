"""Table columns as wide as what they say: their header and the longest thing they can hold."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QStyle, QTableWidget


def widen_to_fit(table: QTableWidget, column: int, texts: Iterable[str]) -> None:
    """Widen `column` (never narrow it) to show its header and each of `texts` whole. Qt's default of 100
    pixels cut "Staff number" to "taff numbe" and the units to "Central …" on a laptop with larger type;
    sizing to the contents instead would measure every row on every mark, so the caller names what the
    column can hold (all the units, all the statuses) once, and each new staff number as it comes."""
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    # The cell's own margins either side of its text, and the grid line.
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 8
    wanted = max(
        [header.sectionSizeFromContents(column).width()] + [metrics.horizontalAdvance(text) + margin for text in texts]
    )
    if wanted > header.sectionSize(column):
        header.resizeSection(column, wanted)
