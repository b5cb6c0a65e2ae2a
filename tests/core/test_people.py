from __future__ import annotations

import pytest

from trainer_desk.core.people import (
    Person,
    PersonRole,
    fold_name,
    is_valid_staff_number,
    normalise_staff_number,
    written_name,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("O'Brien", "obrien"),
        ("Ní Bhriain", "ni bhriain"),
        ("Sørensen", "sorensen"),
        ("Smith-Jones", "smith jones"),
    ],
)
def test_names_fold_so_accents_case_and_punctuation_do_not_block_a_match(typed: str, stored: str) -> None:
    assert fold_name(typed) == stored


def test_staff_numbers_compare_without_spaces_dashes_or_case() -> None:
    assert normalise_staff_number(" ab-12 345 ") == "AB12345"
    assert is_valid_staff_number("AB12345")
    assert not is_valid_staff_number("12")
    assert not is_valid_staff_number("AB 12")


@pytest.mark.parametrize(
    ("forename", "surname", "written"),
    [
        ("\u5c0f\u660e", "\u738b", "\u738b\u5c0f\u660e"),  # Chinese: family name first, no space
        ("\ubbfc\uc900", "\uae40", "\uae40\ubbfc\uc900"),  # Korean
        ("\u3072\u308d\u3057", "\u5c71\u7530", "\u5c71\u7530\u3072\u308d\u3057"),  # Japanese, kana forename
        ("Aleksandra", "Wi\u015bniewska", "Aleksandra Wi\u015bniewska"),
        ("Th\u1ecb Lan", "Nguy\u1ec5n", "Th\u1ecb Lan Nguy\u1ec5n"),  # Vietnamese as the roster files it
        (
            "\u0645\u062d\u0645\u062f",
            "\u0627\u0644\u0639\u062a\u064a\u0628\u064a",
            "\u0645\u062d\u0645\u062f \u0627\u0644\u0639\u062a\u064a\u0628\u064a",
        ),
        ("Mei", "\u738b", "Mei \u738b"),  # a Latin forename: written as it is filed
        ("\u5065", "\u4f50\u3005\u6728", "\u4f50\u3005\u6728\u5065"),  # 佐々木 健: with the repeat mark
        ("\u30b8\u30e7\u30f3", "\u30b9\u30df\u30b9", "\u30b8\u30e7\u30f3 \u30b9\u30df\u30b9"),  # katakana
        ("\u738b\u5c0f\u660e", "", "\u738b\u5c0f\u660e"),  # a walk-in's name kept whole
    ],
    ids=[
        "chinese",
        "korean",
        "japanese",
        "polish",
        "vietnamese",
        "arabic",
        "mixed",
        "repeat-mark",
        "katakana",
        "whole",
    ],
)
def test_a_name_is_written_as_its_owner_writes_it(forename: str, surname: str, written: str) -> None:
    assert written_name(forename, surname) == written
    assert Person("1", forename, surname or "x", "NORTH", PersonRole.STAFF).full_name == written_name(
        forename, surname or "x"
    )
