from __future__ import annotations

from trainer_desk.core.markdown_title import split_title
from trainer_desk.core.sentences import after_colon


def test_a_reason_after_a_colon_reads_on_but_a_name_keeps_its_capitals() -> None:
    assert after_colon("This laptop takes its roster from HQ.") == "this laptop takes its roster from HQ."
    assert after_colon("HQ refused it.") == "HQ refused it."


def test_a_leading_title_is_told_apart_from_the_text_and_none_is_invented() -> None:
    assert split_title("  # Welcome\n\nHello.\n") == ("# Welcome", "Hello.")
    assert split_title("Hello.\n# Not a title") == ("", "Hello.\n# Not a title")
