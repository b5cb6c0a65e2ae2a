"""The fonts the app draws people's names in: Qt's, and for Chinese, Japanese and Korean the one we ship."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from trainer_desk.paths import bundled

log = logging.getLogger(__name__)

# The font the PDFs embed for Chinese, Japanese and Korean, and its family as Qt names it.
CJK_FONT_FILE = "wqy-microhei.ttc"
CJK_FAMILY = "WenQuanYi Micro Hei"


def with_cjk_fallback(font: QFont) -> QFont:
    """`font`, drawing what it has no letters for (Chinese, Japanese, Korean) in the font we ship. Named in the
    font itself, it is the fallback on every platform, not only where the system's own search for a fallback
    sees the fonts an application adds."""
    if CJK_FAMILY in font.families():
        return font
    fallback = QFont(font)
    # The family the font resolved to, not the one asked for: Linux's 'Sans Serif' is no family of its own, and
    # beside a real one Qt would draw every letter in the fallback.
    fallback.setFamilies([QFontInfo(font).family(), CJK_FAMILY])
    return fallback


def use_bundled_cjk_font() -> None:
    """Let names in Chinese, Japanese and Korean be drawn on a laptop with no font of its own for them (they
    showed as empty boxes). Adding the file costs a few milliseconds, so it waits until names are about to be
    shown, after the first paint."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    file = bundled("resources") / "fonts" / CJK_FONT_FILE
    # Added once, though tests build many main windows.
    if not QFontDatabase.hasFamily(CJK_FAMILY) and QFontDatabase.addApplicationFont(str(file)) < 0:
        log.warning("the bundled font %s could not be loaded: CJK names may show as boxes", CJK_FONT_FILE)
        return
    current = app.font()
    font = with_cjk_fallback(current)
    if font is not current:  # an application not made by application() (a test's); ours has it already
        app.setFont(font)
