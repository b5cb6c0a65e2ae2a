"""`trainer-desk faq search`: the presenter window's FAQ search, from the command line.

A trainer can look up what a plan already answers before a session, and the search can be checked from
outside the app. Plans and the index are loaded inside the handler, so the command line starts as fast as ever.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from trainer_desk.core.errors import UserFacingError

if TYPE_CHECKING:
    from trainer_desk.core.lesson_plan import FaqEntry
    from trainer_desk.paths import AppPaths


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `trainer-desk faq` (its one-line help is in the command table)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    search = actions.add_parser(
        "search",
        help="print the FAQ questions that best answer QUESTION, best first, one a line",
    )
    search.add_argument("question", metavar="QUESTION", help='what a person might ask, e.g. "what counts as banter"')
    search.add_argument(
        "--plan", metavar="ID", help="search this plan's FAQ and the shared FAQ (default: every plan's and the shared)"
    )
    search.add_argument("--limit", type=_positive, default=5, metavar="N", help="print at most N questions (5)")
    search.set_defaults(handler=run_search)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def run_search(args: argparse.Namespace, paths: AppPaths) -> int:
    from trainer_desk.lesson_content import load_plans
    from trainer_desk.store.faq_index import FaqIndex

    library = load_plans(paths)
    if args.plan is None:
        entries = [entry for plan in library.plans for entry in plan.faq]
    elif (plan := library.get(args.plan)) is not None:
        entries = list(plan.faq)
    else:
        known = ", ".join(p.id for p in library.plans) or "none"
        raise UserFacingError(f"no lesson plan with the id {args.plan!r}; the plans here are: {known}")
    index = FaqIndex(_without_repeats([*entries, *library.shared_faq]))
    try:
        if index.vocabulary.query(args.question) is None:
            raise UserFacingError(
                f"nothing to search by in {args.question!r}: add a word about the topic, such as 'banter' or 'report'"
            )
        found = _distinct_questions(index.search(args.question, limit=len(index.entries)))
    finally:
        index.close()
    for question in found[: args.limit]:
        print(question)
    if not found:
        print(f"trainer-desk: no FAQ question matches {args.question!r}", file=sys.stderr)
    return 0


def _without_repeats(entries: list[FaqEntry]) -> list[FaqEntry]:
    """The same entry reached twice (a plan's copy of a shared answer) is indexed once."""
    return list(dict.fromkeys(entries))


def _distinct_questions(entries: list[FaqEntry]) -> list[str]:
    """Questions as one line each, a question two plans both ask (with their own answers) printed once."""
    seen: dict[str, str] = {}
    for entry in entries:
        line = " ".join(entry.question.split())
        seen.setdefault(line.casefold(), line)
    return list(seen.values())
