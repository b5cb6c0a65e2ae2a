"""Sending the six-month follow-up through the force's mail relay: each person due is invited once, with their
personal link, and reminded once a fortnight later unless they have answered. Run daily
(`trainer-desk-hq follow-up send`, from a timer): a run sends only what is owed, so running it twice, or after
a day missed, sends nobody anything twice.

The relay is reached over TLS that is verified (STARTTLS or TLS from the first byte); a relay without TLS is
accepted only on this machine (a local mail server that relays on). Each invitation is noted in the same
transaction that sends it: if the relay refuses a message, nothing is noted and the next run tries again.
Nothing is logged about a person.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from sqlalchemy import Engine

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.unit_tree import force_for
from trainer_desk.hq import follow_up, published
from trainer_desk.hq.documents import NO_FORCE_NAME
from trainer_desk.hq.follow_up_answers import LINK_DAYS, link_secret, questions, token
from trainer_desk.hq.units import unit_nodes

SECURITY = ("starttls", "tls", "none")
TIMEOUT_S = 30


@dataclass(frozen=True, slots=True)
class Relay:
    """The force's mail relay, as IT configures it."""

    host: str
    port: int
    security: str  # one of SECURITY
    sender: str
    username: str = ""
    password: str = ""

    def check(self) -> None:
        if self.security not in SECURITY:
            raise UserFacingError(f"the relay's security is one of {', '.join(SECURITY)}, not {self.security!r}")
        if self.security == "none" and not _loopback(self.host):
            raise UserFacingError(
                f"not sent: {self.host} would receive people's names and addresses without TLS. Use --smtp-security "
                "starttls or tls, or a mail server on this machine."
            )
        if "@" not in self.sender or any(c in self.sender for c in "\r\n"):
            raise UserFacingError(f"the sender is an email address, not {self.sender!r}")


@dataclass(slots=True)
class Sent:
    invited: int = 0
    reminded: int = 0
    refused: int = 0  # addresses the relay would not take: tried again on the next run
    without_address: int = 0  # due, but the roster gives no email: in the due list for the force to reach


def send_due(engine: Engine, blobs: Path, relay: Relay, link_base: str, today: date) -> Sent:
    """Invite and remind whoever is owed a message today; returns what was sent."""
    relay.check()
    content = published.newest(engine, blobs)
    tree = unit_nodes(engine)
    found, secret = follow_up.owed(engine, blobs, today), link_secret(engine)
    sent = Sent(without_address=sum(1 for d in found.due if not d.email))
    if not found.invite and not found.remind:
        return sent
    with _connected(relay) as smtp:
        for person, reminder in [*((d, False) for d in found.invite), *((d, True) for d in found.remind)]:
            link_token = token(secret, person.staff_number, person.programme)
            link = follow_up.personal_link(link_base, link_token)
            plan, asked = questions(content.library, person.programme)
            name = plan.programme.name if plan else person.programme
            # In the name of the person's own force, on an HQ serving several as on one.
            force = force_for(tree, {person.unit}, content.force_name, NO_FORCE_NAME)
            message = _message(relay, person, force, name, len(asked), link, today, reminder)
            try:
                with engine.begin() as conn:  # noted only if the relay takes it
                    if reminder:
                        follow_up.note_reminded(conn, person, today)
                    else:
                        follow_up.note_invited(conn, person, link_token, today)
                    smtp.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
                sent.refused += 1
                continue
            except (OSError, smtplib.SMTPException) as error:
                raise UserFacingError(
                    f"the mail relay stopped taking messages ({_plain(error)}) after {sent.invited} invitations and "
                    f"{sent.reminded} reminders: run this again to send the rest"
                ) from None
            if reminder:
                sent.reminded += 1
            else:
                sent.invited += 1
    return sent


def _message(
    relay: Relay, person: follow_up.Due, force: str, programme: str, asked: int, link: str, today: date, reminder: bool
) -> EmailMessage:
    """A short, plain message in the force's name: what is asked, why, the link, and that answers are anonymous."""
    until = today + timedelta(days=LINK_DAYS) if not reminder else None
    message = EmailMessage()
    message["From"] = formataddr((force, relay.sender))
    message["To"] = person.email
    message["Subject"] = f"{'Reminder: ' if reminder else ''}{programme}, six months on: {asked} short questions"
    message["Message-ID"] = make_msgid(domain=relay.sender.rsplit("@", 1)[1])
    opening = (
        f"A reminder, in case our first message passed you by: we would still like to hear how {programme} has "
        "stayed with you."
        if reminder
        else f"About six months ago you completed {programme}. We would like to know whether it has stayed with "
        "you, and whether you have been able to use it."
    )
    lines = [
        f"Dear {person.forename},",
        "",
        opening,
        "",
        f"There are {asked} short questions; they take about two minutes:",
        "",
        link,
        "",
        "Your answers are anonymous: they are kept without your name, and nobody can tell which are yours. The "
        "link is yours alone, so please do not forward it" + (f"; it works until {until:%-d %B %Y}." if until else "."),
        "",
        "We will send you one reminder at most, and nothing once you have answered.",
        "",
        f"{force}, learning and development",
    ]
    message.set_content("\n".join(lines))
    return message


@contextmanager
def _connected(relay: Relay) -> Iterator[smtplib.SMTP]:
    try:
        context = ssl.create_default_context()
        if relay.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(relay.host, relay.port, timeout=TIMEOUT_S, context=context)
        else:
            smtp = smtplib.SMTP(relay.host, relay.port, timeout=TIMEOUT_S)
            if relay.security == "starttls":
                smtp.starttls(context=context)
        if relay.username:
            smtp.login(relay.username, relay.password)
    except (OSError, smtplib.SMTPException) as error:
        raise UserFacingError(f"the mail relay {relay.host}:{relay.port} could not be used: {_plain(error)}") from None
    try:
        yield smtp
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _plain(error: BaseException) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"its TLS certificate could not be verified ({error.verify_message})"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "it refused the username and password"
    return str(error) or type(error).__name__


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
