from __future__ import annotations

import pytest

from trainer_desk.core.people import fold_name, is_valid_staff_number, normalise_staff_number


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
