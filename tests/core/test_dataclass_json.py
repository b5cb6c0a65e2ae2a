"""Kept data read back becomes only the types its dataclass declares, or is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from trainer_desk.core.dataclass_json import from_plain, to_plain
from trainer_desk.core.lesson_plan import SectionKind


@dataclass(frozen=True)
class Card:
    title: str
    minutes: int
    mandatory: bool
    kind: SectionKind
    film: Path | None
    review_by: date | None
    tags: tuple[str, ...]


CARD = Card(
    "Dyfodol — Przyszłość", 20, True, SectionKind.VIDEO, Path("films/ein ffilm.mp4"), date(2027, 11, 30), ("a",)
)


def test_a_value_comes_back_equal_to_what_was_kept() -> None:
    assert from_plain(Card, to_plain(CARD)) == CARD
    bare = Card("t", 1, False, SectionKind.TALK, None, None, ())
    assert from_plain(Card, to_plain(bare)) == bare


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("minutes", True, "Card.minutes: expected int, found bool"),
        ("mandatory", 1, "Card.mandatory: expected bool, found int"),
        ("kind", "séance", "Card.kind: 'séance' is not a SectionKind"),
        ("review_by", "soon", "Card.review_by: not a date"),
        ("tags", "a", "Card.tags: expected a list"),
        ("tags", ["a", 2], r"Card.tags\[1\]: expected str"),
    ],
)
def test_a_value_that_does_not_fit_is_refused_with_where(field: str, value: object, complaint: str) -> None:
    plain = to_plain(CARD)
    assert isinstance(plain, dict)
    with pytest.raises(ValueError, match=complaint):
        from_plain(Card, {**plain, field: value})


def test_fields_missing_or_unknown_are_refused() -> None:
    plain = to_plain(CARD)
    assert isinstance(plain, dict)
    with pytest.raises(ValueError, match="'title' is missing"):
        from_plain(Card, {k: v for k, v in plain.items() if k != "title"})
    with pytest.raises(ValueError, match="'__reduce__' is unexpected"):
        from_plain(Card, {**plain, "__reduce__": "os.system"})
