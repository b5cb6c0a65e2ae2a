"""The six-month follow-up sent through a real SMTP server on loopback (aiosmtpd): each person due gets exactly
one invitation and, a fortnight on, one reminder with the same personal link; nobody who answered or left is
reminded, and running the command again sends nothing twice. The answer is read at HQ without any person."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from tests.hq.console_kit import PASSWORD, admin, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq, free_port
from tests.three_forces import PEOPLE as THREE_PEOPLE
from tests.three_forces import THREE_FORCES, content_naming_northshire
from tests.two_forces import TWO_FORCES
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import schema, subject_access
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.units import import_units
from trainer_desk.paths import bundled

HEADER = "Staff Number,First Name,Last Name,Unit,Type,E-mail address"
PEOPLE = [
    "710001,Aleksandra,Wiśniewska,NORTH,officer,a.wisniewska@example.police.uk",
    "710002,Rhys,ap Gwilym,NORTH,staff,rhys.apgwilym@example.police.uk",
    "710003,Nguyễn,Thị Lan,NORTH,officer,lan.nguyen@example.police.uk",
    "710004,Layla,Al-Hashimi,NORTH,officer,layla.alhashimi@example.police.uk",
    "710005,Wei,Zhang,NORTH,staff,wei.zhang@example.police.uk",
    "710006,Siân,Prys,NORTH,officer,sian.prys@example.police.uk",  # leaves after her invitation
    "710007,Tomasz,Łukasik,NORTH,officer,t.lukasik@example.police.uk",  # completed two months ago: not yet due
]


class Inbox:
    """What the relay received: one message per recipient."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, smtp_session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def take(self) -> list[EmailMessage]:
        taken, self.messages = self.messages, []
        return taken


@pytest.fixture
def relay() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def link_in(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"http://\S+/feedback/follow-up/\S+", body.get_content())
    assert found is not None
    return found[0]


def completed(hq: Hq, tmp_path: Path) -> None:
    """Everyone on the roster completed Signa seven months ago, but Tomasz, two months ago."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    export = tmp_path / "hr-export.csv"
    export.write_text("\n".join([HEADER, *PEOPLE]) + "\n", encoding="utf-8-sig")
    hq_roster.import_roster(hq.engine, hq_roster.read_roster_file(hq.engine, export).people)
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    for months, numbers in ((7, [p[:6] for p in PEOPLE[:6]]), (2, ["710007"])):
        held = {**session("NORTH"), "starts_at": (utc_now() - timedelta(days=30 * months)).isoformat()}
        sent = laptop.push(item("session", held), *(item("attendance", attendance(held, n)) for n in numbers))
        assert sent == [("created", "")] * (1 + len(numbers))


def test_one_invitation_and_one_reminder_each_and_none_for_who_answered_or_left(
    hq: Hq, tmp_path: Path, relay: tuple[Inbox, int], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, port = relay
    completed(hq, tmp_path)
    send = [*admin(hq), "follow-up", "send", "--link-base", hq.url, "--smtp-host", "127.0.0.1",
            "--smtp-port", str(port), "--smtp-security", "none", "--sender", "learning@example.police.uk"]  # fmt: skip

    assert hq_main(send) == 0
    invitations = inbox.take()
    assert sorted(m["To"] for m in invitations) == sorted(p.split(",")[5] for p in PEOPLE[:6])
    first = next(m for m in invitations if m["To"] == "rhys.apgwilym@example.police.uk")
    assert first["Subject"].startswith("Signa, six months on") and "learning@example.police.uk" in first["From"]
    text = first.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert text.startswith("Dear Rhys,") and "anonymous" in text
    assert "6 invited, 0 reminded" in capsys.readouterr().out
    assert hq_main(send) == 0 and inbox.take() == []  # the same day again: nobody twice

    rhys = requests.Session()
    form = rhys.get(link_in(first), timeout=10)
    assert form.status_code == 200 and "six months on" in form.text
    question_ids = re.findall(r'<(?:input|textarea)[^>]* name="([a-z0-9-]+)"', form.text)
    assert len(set(question_ids)) == 4  # the plan's four follow-up questions
    answered = rhys.post(
        link_in(first),
        data={"stepped-in": "yes", "banter": "4", "example": "Backed up a colleague at the custody desk."},
        timeout=10,
    )
    assert answered.status_code == 200 and "You will not be asked again" in answered.text
    assert rhys.post(link_in(first), data={"stepped-in": "no"}, timeout=10).status_code == 409
    guessed = link_in(first)[:-4] + "AAAA"
    assert requests.get(guessed, timeout=10).status_code == 404

    export = tmp_path / "hr-export.csv"
    export.write_text("\n".join([HEADER, *PEOPLE[:5], PEOPLE[6]]) + "\n", encoding="utf-8-sig")  # Siân has left
    hq_roster.import_roster(hq.engine, hq_roster.read_roster_file(hq.engine, export).people)
    fortnight_ago = (utc_now().date() - timedelta(days=15)).isoformat()
    with hq.engine.begin() as conn:  # a fortnight passes
        conn.execute(update(schema.follow_up_invitations).values(invited_on=fortnight_ago))

    assert hq_main(send) == 0
    reminders = inbox.take()
    assert sorted(m["To"] for m in reminders) == sorted(p.split(",")[5] for p in (PEOPLE[0], *PEOPLE[2:5]))
    assert all(m["Subject"].startswith("Reminder: ") for m in reminders)
    aleksandra = next(m for m in invitations if m["To"] == "a.wisniewska@example.police.uk")
    assert link_in(next(m for m in reminders if m["To"] == aleksandra["To"])) == link_in(aleksandra)
    assert hq_main(send) == 0 and inbox.take() == []  # one reminder, never two

    with hq.engine.connect() as conn:
        kept = conn.execute(select(schema.follow_up_answers)).mappings().all()
    assert len(kept) == 1 and kept[0]["programme_id"] == "signa"
    assert json.loads(kept[0]["answers"]) == {
        "stepped-in": True, "banter": 4, "example": "Backed up a colleague at the custody desk."
    }  # fmt: skip
    assert "710002" not in str(dict(kept[0])) and "Rhys" not in str(dict(kept[0]))  # nothing names him
    his = subject_access.export(hq.engine, hq.blobs, "710002")  # what HQ holds about him says he answered, not what
    assert his["follow-up invitations"] == [
        {"programme": "Signa", "invited on": fortnight_ago, "reminded on": None, "answered": "yes"}
    ]
    assert "custody desk" not in json.dumps(his)


@pytest.mark.any_database
def test_a_relay_without_tls_elsewhere_or_one_that_is_down_sends_nothing_and_says_why(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    completed(hq, tmp_path)
    base = [*admin(hq), "follow-up", "send", "--link-base", hq.url, "--sender", "learning@example.police.uk"]
    assert hq_main([*base, "--smtp-host", "mail.example.police.uk", "--smtp-security", "none"]) == 1
    assert "would receive people's names and addresses without TLS" in capsys.readouterr().err
    down = free_port()  # nothing listens there
    assert hq_main([*base, "--smtp-host", "127.0.0.1", "--smtp-port", str(down), "--smtp-security", "none"]) == 1
    assert f"the mail relay 127.0.0.1:{down} could not be used" in capsys.readouterr().err
    with hq.engine.connect() as conn:
        assert conn.execute(select(schema.follow_up_invitations)).all() == []  # nobody noted as invited


def test_hq_reads_the_follow_up_s_figures_once_five_have_answered_and_a_lead_does_not(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    completed(hq, tmp_path)
    listed = tmp_path / "due.csv"
    assert hq_main([*admin(hq), "follow-up", "due", "--link-base", hq.url, "-o", str(listed)]) == 0
    links = [r["link"] for r in csv.DictReader(io.StringIO(listed.read_text(encoding="utf-8-sig")))]
    assert len(links) == 6
    said = [("yes", "4", "Stepped in at a leaving do."), ("yes", "5", ""), ("no", "2", ""), ("yes", "4", "")]
    for link, (stepped_in, banter, example) in zip(links, said, strict=False):
        answer = {"stepped-in": stepped_in, "banter": banter, "example": example}
        assert requests.post(link, data=answer, timeout=10).status_code == 200

    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Feedback").click()
    signa = page.get_by_role("region", name="Signa: 4 answered of 6 invited (67%)")
    expect(signa).to_contain_text("Too few answers to show anything yet")  # four answers: nothing shown

    assert requests.post(links[4], data={"stepped-in": "yes", "barriers": "Rota changes."}, timeout=10).ok
    page.reload()
    signa = page.get_by_role("region", name="Signa: 5 answered of 6 invited (83%)")
    table = signa.get_by_role("table", name="Signa: the follow-up's answers")
    expect(table.get_by_role("row", name=re.compile("stepped in"))).to_contain_text("80% yes")
    expect(table.get_by_role("row", name=re.compile("banter"))).to_contain_text("3.8 of 5 on average")
    expect(signa).to_contain_text("Stepped in at a leaving do.")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Feedback").click()
    expect(page.get_by_role("heading", name="What participants said")).to_be_visible()
    expect(page.get_by_text("Six months on")).to_have_count(0)  # anonymous and force-wide: for HQ's roles


def test_each_force_reads_its_own_follow_up_and_a_role_over_part_of_one_reads_none(
    page: Page, hq: Hq, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HQ serving two forces: Fernshire's people answer. Fernshire's viewer reads their answers; Dalesmoor's
    reads none of them, nor does a viewer over one of Fernshire's BCUs (answers are counted force-wide)."""
    import_units(hq.engine, TWO_FORCES)
    completed(hq, tmp_path)
    listed = tmp_path / "due.csv"
    assert hq_main([*admin(hq), "follow-up", "due", "--link-base", hq.url, "-o", str(listed)]) == 0
    links = [r["link"] for r in csv.DictReader(io.StringIO(listed.read_text(encoding="utf-8-sig")))]
    for link in links[:5]:
        answer = {"stepped-in": "yes", "banter": "4", "example": "Spoke up in the canteen."}
        assert requests.post(link, data=answer, timeout=10).status_code == 200
    for username, unit in (("viewer.fern", "FERN"), ("viewer.dales", "DALES"), ("viewer.north", "NORTH")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert hq_main([*admin(hq), "users", "add", username, "--role", "viewer", "--unit", unit]) == 0

    sign_in(page, hq, "viewer.fern")
    page.get_by_role("link", name="Feedback").click()
    expect(page.get_by_role("region", name="Signa: 5 answered of 6 invited (83%)")).to_contain_text("canteen")
    for username in ("viewer.dales", "viewer.north"):
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, hq, username)
        page.get_by_role("link", name="Feedback").click()
        expect(page.get_by_role("heading", name="Six months on: the follow-up")).to_be_visible()
        expect(page.get_by_text("Spoke up in the canteen.")).to_have_count(0)
        expect(page.get_by_text(re.compile("answered of"))).to_have_count(0)
    expect(page.get_by_text("counted for a whole force")).to_be_visible()  # said to the viewer over one BCU


@pytest.mark.any_database
def test_the_follow_up_form_passes_axe_on_a_small_screen(page: Page, hq: Hq, tmp_path: Path) -> None:
    completed(hq, tmp_path)
    listed = tmp_path / "due.csv"
    assert hq_main([*admin(hq), "follow-up", "due", "--link-base", hq.url, "-o", str(listed)]) == 0
    link = next(r["link"] for r in csv.DictReader(io.StringIO(listed.read_text(encoding="utf-8-sig"))))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(link)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
    assert results.violations_count == 0, results.generate_snapshot()
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.get_by_role("group", name=re.compile("have you stepped in")).get_by_label("Yes").check()
    page.get_by_label("What, if anything, has got in the way").fill("Shift changes.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers are sent")


def test_each_force_s_people_are_written_to_in_their_own_force_s_name(
    hq: Hq, tmp_path: Path, relay: tuple[Inbox, int]
) -> None:
    """On an HQ serving three forces whose published content names Northshire, Westshire's officers were
    invited to its follow-up in Northshire's name, and the form their link opened was headed with it."""
    inbox, port = relay
    import_units(hq.engine, THREE_FORCES)
    people = [replace(p, email=f"{p.staff_number}@example.police.uk") for p in THREE_PEOPLE]
    hq_roster.import_roster(hq.engine, people)
    hq_content.publish_content(hq.engine, content_naming_northshire(tmp_path), hq.blobs, allow_sample_media=True)
    for unit, trainer, attendee in (("NSP-RT1", "810001", "810002"), ("WSP-RT1", "820001", "820002")):
        held = {**session(unit, (trainer,)), "starts_at": (utc_now() - timedelta(days=210)).isoformat()}
        pushed = RawLaptop.enrolled(hq, trainer, unit).push(
            item("session", held), item("attendance", attendance(held, attendee, unit))
        )
        assert pushed == [("created", "")] * 2
    send = [*admin(hq), "follow-up", "send", "--link-base", hq.url, "--smtp-host", "127.0.0.1",
            "--smtp-port", str(port), "--smtp-security", "none", "--sender", "learning@example.police.uk"]  # fmt: skip
    assert hq_main(send) == 0
    [westshire] = inbox.to("820002@example.police.uk")
    [northshire] = inbox.to("810002@example.police.uk")
    assert westshire["From"].startswith("Westshire Police <") and "Northshire" not in str(westshire)
    assert northshire["From"].startswith("Northshire Police <")
    form = requests.get(link_in(westshire), timeout=10).text  # the form the link opens says the same
    assert "<header>Westshire Police</header>" in form and "Northshire" not in form
