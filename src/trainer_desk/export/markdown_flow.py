"""Turn the small Markdown our lesson plans use into reportlab paragraphs (headings, lists, emphasis)."""

from __future__ import annotations

import re
from html import escape

from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, Spacer

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])[*_](?!\s)(.+?)(?<!\s)[*_](?![*\w])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def inline(text: str) -> str:
    """Markdown emphasis and links as reportlab's paragraph markup, everything else escaped."""
    out = escape(text, quote=False)
    out = _BOLD.sub(r"<b>\1</b>", out)
    out = _ITALIC.sub(r"<i>\1</i>", out)
    return _LINK.sub(r"\1 (\2)", out)


def markdown_flowables(text: str, styles: StyleSheet1) -> list[Flowable]:
    flow: list[Flowable] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            flow.append(Paragraph(inline(" ".join(paragraph)), styles["BodyText"]))
            paragraph.clear()
        if bullets:
            items = [ListItem(Paragraph(inline(b), styles["BodyText"]), leftIndent=12) for b in bullets]
            flow.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12))
            bullets.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            level = min(len(stripped) - len(stripped.lstrip("#")), 3)
            flow.append(Paragraph(inline(stripped.lstrip("# ")), styles[f"Heading{level + 2}"]))
        elif _BULLET.match(stripped):
            if paragraph:
                flush()
            bullets.append(_BULLET.sub("", stripped))
        elif bullets and line.startswith((" ", "\t")):
            bullets[-1] += " " + stripped
        else:
            if bullets:
                flush()
            paragraph.append(stripped)
    flush()
    flow.append(Spacer(1, 4))
    return flow
