"""The lines the Sync view reads out for records HQ did not take: one per refused session, one per other answer."""

from __future__ import annotations

from dataclasses import dataclass

from trainer_desk.core.refusals import refusal_lines


@dataclass(frozen=True)
class Held:
    entity: str
    session_uuid: str | None
    person: str = ""
    answer: str = "refused: HQ has no such session: a record is accepted once its session has reached HQ"
    removal: bool = False


def names(uuid: str | None) -> str:
    return {"s1": "Signa, 7 Dec 09:00, Central West"}.get(uuid or "", "")


def test_a_refused_session_says_what_waits_on_it_once_however_many_versions_were_refused() -> None:
    refused = "refused: this session is for unit CENTRAL_WEST, and this laptop is enrolled to record for NORTH"
    records = [Held("session", "s1", answer=refused), Held("session", "s1", answer=refused), Held("feedback", "s1")]
    assert refusal_lines(records, names) == [
        "Signa, 7 Dec 09:00, Central West: HQ did not take the session: this session is for unit CENTRAL_WEST, and"
        " this laptop is enrolled to record for NORTH. 1 feedback form waits on it."
    ]


def test_other_answers_are_counted_once_each_and_name_at_most_five_people() -> None:
    people = [Held("attendance", "gone", f"Person {n} (10000{n})") for n in range(7)]
    question = Held("faq_question", None, answer="conflict: this laptop already sent a different version 1 of this")
    assert refusal_lines([*people, question], names) == [
        "HQ did not take 7 registrations: HQ has no such session: a record is accepted once its session has reached"
        " HQ. People named: Person 0 (100000), Person 1 (100001), Person 2 (100002), Person 3 (100003), Person 4"
        " (100004) and 2 more.",
        "HQ did not take 1 question from the room: this laptop already sent a different version 1 of this.",
    ]
