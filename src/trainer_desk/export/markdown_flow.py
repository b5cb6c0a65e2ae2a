"""Turn the small Markdown our lesson plans use into reportlab paragraphs (headings, lists, emphasis)."""

from __future__ import annotations

import re

from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable, ListFlowable, ListItem, Spacer

from trainer_desk.export.pdf_fonts import SANS
from trainer_desk.export.pdf_text import Styled, para

# Links, then bold, then italic: the first that matches at a place wins.
_INLINE = re.compile(
    r"\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![*\w])[*_](?!\s)(?P<italic>.+?)(?<!\s)[*_](?![*\w])"
)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def inline(text: str, tags: str = "") -> list[Styled]:
    """Markdown emphasis and links as pieces of a paragraph, set bold or italic; the plan's own text is never
    read as reportlab's markup, so a '<' or '&' in a plan prints as written."""
    out: list[Styled] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(Styled(text[position : match.start()], tags))
        if match["label"] is not None:
            out.append(Styled(f"{match['label']} ({match['url']})", tags))
        elif match["bold"] is not None:
            out += inline(match["bold"], tags if "b" in tags else f"{tags}b")
        else:
            out.append(Styled(match["italic"], tags if "i" in tags else f"{tags}i"))
        position = match.end()
    out.append(Styled(text[position:], tags))
    return [piece for piece in out if piece.text]


def markdown_flowables(text: str, styles: StyleSheet1) -> list[Flowable]:
    flow: list[Flowable] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            flow.append(para(inline(" ".join(paragraph)), styles["BodyText"], whole=True))
            paragraph.clear()
        if bullets:
            items = [ListItem(para(inline(b), styles["BodyText"], whole=True), leftIndent=12) for b in bullets]
            flow.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12, bulletFontName=SANS))
            bullets.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            level = min(len(stripped) - len(stripped.lstrip("#")), 3)
            flow.append(para(inline(stripped.lstrip("# ")), styles[f"Heading{level + 2}"], whole=True))
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
