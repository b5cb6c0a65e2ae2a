"""Lines of a slide that markdown would run together, where the author clearly meant them apart.

Markdown joins lines with a single line break between them into one paragraph, so a slide written as

    **A.** The group chat meme
    **B.** Your inspector's 'jokes'

shows the room one line, "A. The group chat meme B. Your inspector's 'jokes'". The author sees separate lines
in the file and nothing wrong until the projector. Lines that each start with a label (A., (b), 3)) or that
each end with a question mark were meant apart; a wrapped sentence is left alone.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"#{1,6}(\s|$)")
_LIST_ITEM = re.compile(r"([-*+]|\d{1,9}[.)])(\s|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_RULE = re.compile(r"([-*_])(\s*\1){2,}$")
_LABEL = re.compile(r"(\*\*|__|\*|_)?\(?([A-Za-z]|\d{1,2})\)?[.):](\*\*|__|\*|_)?\s")
_QUESTION = re.compile(r"\?[*_\"'\u201d\u2019)]*$")  # a question mark, then any closing emphasis or quote


def joined_lines(markdown: str) -> list[str]:
    """One sentence for each paragraph whose lines the room would see run into one, quoting its first two
    lines and saying how to keep them apart."""
    found = []
    for run in _paragraphs(markdown):
        labelled = [line for line in run if _LABEL.match(line)]
        questions = [line for line in run if _QUESTION.search(line)]
        meant = labelled if len(labelled) >= 2 else questions if len(questions) >= 2 else []
        if meant:
            found.append(
                f'the lines "{meant[0]}" and "{meant[1]}" run into one line on the screen, because markdown '
                "joins lines with no blank line between them: put a blank line between them, or start each "
                "with '- ' to make a list"
            )
    return found


def _paragraphs(markdown: str) -> list[list[str]]:
    """The runs of lines markdown joins: a paragraph, or a list item with the lines that continue it. Headings,
    tables, code, rules and blank lines end a run; so does a line ending in a hard break (two spaces or '\\')."""
    runs: list[list[str]] = []
    run: list[str] = []
    fenced = False

    def close() -> None:
        nonlocal run
        if len(run) > 1:
            runs.append(run)
        run = []

    for raw in markdown.splitlines():
        line = raw.strip()
        while line.startswith(">"):  # a quotation's lines are joined as a paragraph's are
            line = line[1:].strip()
        if _FENCE.match(line):
            fenced = not fenced
            close()
            continue
        if fenced or not line or _HEADING.match(line) or line.startswith("|") or _RULE.match(line):
            close()
            continue
        if _LIST_ITEM.match(line):
            close()
        run.append(line)
        if raw.endswith(("  ", "\\")):
            close()
    close()
    return runs
