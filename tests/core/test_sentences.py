from __future__ import annotations

from trainer_desk.core.markdown_title import split_title
from trainer_desk.core.sentences import after_colon, listed, sentence


def test_a_reason_after_a_colon_reads_on_but_a_name_keeps_its_capitals() -> None:
    assert after_colon("This laptop takes its roster from HQ.") == "this laptop takes its roster from HQ."
    assert after_colon("HQ refused it.") == "HQ refused it."


def test_a_leading_title_is_told_apart_from_the_text_and_none_is_invented() -> None:
    assert split_title("  # Welcome\n\nHello.\n") == ("# Welcome", "Hello.")
    assert split_title("Hello.\n# Not a title") == ("", "Hello.\n# Not a title")


def test_a_message_that_ends_a_sentence_is_not_given_a_second_full_stop() -> None:
    """The Sync view read "Now: Sync problem: HQ refused the request (HTTP 302).." and a form "...a backup..":
    a line quoting a message ends it once."""
    assert sentence("Now: Sync problem: HQ refused the request (HTTP 302).") == (
        "Now: Sync problem: HQ refused the request (HTTP 302)."
    )
    assert sentence("Now: Synced") == "Now: Synced."
    assert sentence("Now: Syncing…") == "Now: Syncing…"
    assert sentence("") == ""


def test_names_are_listed_as_people_write_them() -> None:
    assert listed(["Ann Bee (600002)"]) == "Ann Bee (600002)"
    assert listed(["A", "B", "C"]) == "A, B and C"
    assert listed([]) == ""
