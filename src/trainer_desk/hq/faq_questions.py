"""Questions trainers noted in class because the plan's FAQ had no answer, gathered at HQ: the same question
from several rooms is one line, with how often it was asked. HQ answers one by adding it to the plan's FAQ in
a new content version (so every trainer has the answer after their next sync), or dismisses it.

A question is answered once the plan's FAQ in the newest published content holds it, however that came about
(here, or in a zip of plans uploaded later), so nothing else needs recording for it."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.toml_lines import basic_string
from trainer_desk.hq import content, published, schema
from trainer_desk.hq.database import utc_now

MAX_ANSWER = 4000


@dataclass
class Asked:
    plan_id: str
    plan_title: str
    question: str
    times: int
    first_asked: str
    last_asked: str


def key(question: str) -> str:
    """The same question however it was typed: case, spacing and trailing punctuation aside."""
    folded = " ".join(unicodedata.normalize("NFC", question).casefold().split())
    return folded.rstrip("?!. ")[:500]


def unanswered(engine: Engine, blobs: Path) -> list[Asked]:
    """Questions not in their plan's FAQ and not dismissed, most often asked first."""
    library = published.newest(engine, blobs).library
    answered = {(p.id, key(entry.question)) for p in library.plans for entry in p.faq}
    records = schema.records
    with engine.connect() as conn:
        dismissed = {(r.plan_id, r.question_key) for r in conn.execute(select(schema.faq_dismissals))}
        rows = [
            json.loads(r.payload)
            for r in conn.execute(
                select(records.c.payload).where(records.c.entity == "faq_question", records.c.deleted.is_(False))
            )
        ]
    found: dict[tuple[str, str], Asked] = {}
    rows = [r for r in rows if isinstance(r, dict)]
    for row in sorted(rows, key=lambda r: str(r.get("asked_at", ""))):  # a question reads as first asked
        if not str(row.get("question", "")).strip():
            continue
        plan_id, question = str(row.get("plan_id", "")), str(row["question"]).strip()[:500]
        group = (plan_id, key(question))
        if group in answered or group in dismissed:
            continue
        when = str(row.get("asked_at", ""))[:10]
        plan = library.get(plan_id)
        asked = found.setdefault(group, Asked(plan_id, plan.title if plan else plan_id, question, 0, when, when))
        asked.times += 1
        asked.first_asked, asked.last_asked = min(asked.first_asked, when), max(asked.last_asked, when)
    return sorted(found.values(), key=lambda a: (-a.times, a.plan_title, a.question))


def answer(engine: Engine, blobs: Path, plan_id: str, question: str, text: str, source: str, note: str = "") -> int:
    """Add the question and its answer to the plan's FAQ and publish that as a new version; returns it. The
    version's note is `note`, or else says which plan's FAQ gained an answer."""
    question, text = question.strip()[:500], text.strip()
    if not text:
        raise FieldError("answer", "Write the answer first.")
    if len(text) > MAX_ANSWER:
        raise FieldError("answer", f"Keep the answer under {MAX_ANSWER} characters: trainers read it aloud.")
    version = published.current(engine)
    plan = published.library(version, blobs).get(plan_id)
    if version is None or plan is None:
        raise UserFacingError(f"The lesson plan '{plan_id}' is not in the published content.")
    path = f"{plan.folder.name}/faq.toml"
    before = (blobs / version.files[path]).read_bytes() if path in version.files else b""
    entry = (
        f"\n[[faq]]\nquestion = {basic_string(question)}\nanswer = {basic_string(text)}\n"
        f'tags = ["asked-in-class"]\nsource = {basic_string(source)}\n'
    )
    changed = {path: before.rstrip(b"\n") + b"\n" + entry.encode("utf-8")}
    return content.publish_changed(engine, blobs, changed, note=note.strip() or f"FAQ answer added to {plan.title}")


def dismiss(engine: Engine, plan_id: str, question: str, by: str) -> None:
    """Dismiss a question; dismissing it again (two administrators at once) changes nothing."""
    values = {
        "plan_id": plan_id,
        "question_key": key(question),
        "dismissed_by": by,
        "dismissed_at": utc_now().isoformat(),
    }
    try:
        with engine.begin() as conn:
            conn.execute(insert(schema.faq_dismissals).values(**values))
    except IntegrityError:
        pass  # dismissed already: the first dismissal stands
