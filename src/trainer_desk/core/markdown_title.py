"""A Markdown text's leading '# ' title, told apart from the rest: the audience screen sets it as a title, the
presenter leaves it out under the heading that already names the section."""

from __future__ import annotations


def split_title(markdown: str) -> tuple[str, str]:
    """A leading '# ' heading line, and the rest."""
    text = markdown.strip()
    first, _, rest = text.partition("\n")
    if first.startswith("# "):
        return first, rest.strip()
    return "", text
