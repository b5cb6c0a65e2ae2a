"""Turn the small Markdown our lesson plans use into reportlab paragraphs (headings, lists, emphasis)."""

from __future__ import annotations

import re

from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, Spacer

from trainer_desk.export.pdf_fonts import SANS
from trainer_desk.export.pdf_text import markup

# Links, then bold, then italic: the first that matches at a place wins.
_INLINE = re.compile(
    r"\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![*\w])[*_](?!\s)(?P<italic>.+?)(?<!\s)[*_](?![*\w])"
)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def inline(text: str) -> str:
    """Markdown emphasis and links as reportlab's paragraph markup; every piece of the plan's own text goes
    through `pdf_text.markup`, so a '<' or '&' in a plan prints as written."""
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(markup(text[position : match.start()]))
        if match["label"] is not None:
            out.append(f"{markup(match['label'])} ({markup(match['url'])})")
        elif match["bold"] is not None:
            out.append(f"<b>{inline(match['bold'])}</b>")
        else:
            out.append(f"<i>{markup(match['italic'])}</i>")
        position = match.end()
    out.append(markup(text[position:]))
    return "".join(out)


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
            flow.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12, bulletFontName=SANS))
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
