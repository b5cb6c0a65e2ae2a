"""Load a lesson plan folder and check it, reporting every problem as `file:line: message`.

The same code runs for `trainer-desk plans validate`, when the app opens its plan library and when content
arrives from HQ: a plan is either whole and usable, or listed as broken with all of its problems. Nothing in
here may raise on bad input; any surprise becomes a problem against the file that caused it.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from trainer_desk.core import force_clock
from trainer_desk.core.errors import failure_record
from trainer_desk.core.force_fields import FIELDS, ForceFields, fill_all, texts_of, unknown_placeholders
from trainer_desk.core.lesson_plan import (
    FORMAT_VERSION,
    FaqEntry,
    FollowUpAnswer,
    FollowUpQuestion,
    LessonPlan,
    Objective,
    Preparation,
    Programme,
    Section,
    SectionKind,
    Video,
)
from trainer_desk.core.slide_lines import joined_lines
from trainer_desk.core.toml_lines import KeyPath, key_lines, line_of
from trainer_desk.core.webvtt import CaptionError, parse_webvtt

log = logging.getLogger(__name__)

MANIFEST = "plan.toml"
FAQ_FILE = "faq.toml"
SIGNPOSTING = "signposting.md"
SHARED_FAQ = "shared-faq.toml"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_ALLOWED_SCHEMES = ("https://", "mailto:", "tel:")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")

# key: (type, required). `list` means a list of strings.
Schema = dict[str, tuple[type, bool]]
_TOP: Schema = {
    "format": (int, True),
    "id": (str, True),
    "title": (str, True),
    "version": (str, True),
    "audience": (str, True),
    "duration_minutes": (int, True),
    "delivery": (list, True),
    "summary": (str, True),
    "sample_media": (bool, False),
    "preparation": (dict, False),
    "programme": (dict, True),
    "objectives": (dict, True),  # an array of tables
    "sections": (dict, True),
    "follow_up": (dict, False),  # an array of tables
}
_PREPARATION: Schema = {
    "trainers": (str, False),
    "group_size": (str, False),
    "room": (str, False),
    "checklist": (list, False),
    "owner": (str, False),
    "review_by": (date, False),
}
_PROGRAMME: Schema = {"id": (str, True), "name": (str, True), "mandatory": (bool, False)}
_OBJECTIVE: Schema = {"id": (str, True), "text": (str, True)}
_SECTION: Schema = {
    "id": (str, True),
    "title": (str, True),
    "kind": (str, True),
    "minutes": (int, True),
    "objectives": (list, True),
    "script": (str, True),
    "audience": (str, True),
    "prompts": (list, False),
    "content_warning": (str, False),
    "video": (dict, False),
}
_FOLLOW_UP: Schema = {"id": (str, True), "question": (str, True), "answer": (str, True)}
MAX_FOLLOW_UP = 8  # a few minutes' answering, six months on
_VIDEO: Schema = {"file": (str, True), "captions": (str, True), "start_seconds": (int, False)}
_FAQ: Schema = {"question": (str, True), "answer": (str, True), "tags": (list, False), "source": (str, False)}
_FAQ_FILE: Schema = {"faq": (dict, False)}
_DELIVERY = {"in-person", "virtual"}


@dataclass(frozen=True, slots=True)
class PlanProblem:
    file: Path
    line: int
    message: str
    # A warning leaves the plan usable (a film not yet copied to this laptop); the author still fixes it.
    warning: bool = False
    # A warning on a laptop that HQ still refuses at publish, where the author can fix it before it reaches a
    # classroom (captions that cannot be read).
    refused_at_publish: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class _Report:
    """Collects problems against one TOML file, placing each at the line of the key it concerns."""

    def __init__(self, file: Path, problems: list[PlanProblem]) -> None:
        self.file = file
        self.problems = problems
        self.lines: dict[KeyPath, int] = {}

    def at(self, path: KeyPath, message: str, warning: bool = False, refused_at_publish: bool = False) -> None:
        self.problems.append(PlanProblem(self.file, line_of(self.lines, path), message, warning, refused_at_publish))

    def read(self) -> dict[str, Any] | None:
        try:
            text = self.file.read_text(encoding="utf-8-sig")  # as Windows Notepad saves it, too
        except FileNotFoundError:
            self.problems.append(PlanProblem(self.file, 1, "file is missing"))
            return None
        except (OSError, UnicodeDecodeError) as error:
            self.problems.append(PlanProblem(self.file, 1, f"cannot read file: {error}"))
            return None
        self.lines = key_lines(text)
        check_placeholders(text, self.file, self.problems)
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            found = _TOML_POSITION.search(str(error))
            line = int(found.group(1)) if found else 1
            message = _TOML_POSITION.sub("", str(error)).strip()
            self.problems.append(PlanProblem(self.file, line, f"not valid TOML: {message}"))
            return None

    def table(self, data: Any, path: KeyPath, schema: Schema, what: str) -> dict[str, Any]:
        """Check keys and types; return only the values that passed, so callers can trust them."""
        if not isinstance(data, dict):
            self.at(path, f"{what} must be a table")
            return {}
        good: dict[str, Any] = {}
        for key, value in data.items():
            if key not in schema:
                self.at((*path, key), f"unknown key '{key}' in {what}")
                continue
            expected = schema[key][0]
            if _is(value, expected):
                good[key] = value
            else:
                self.at((*path, key), f"'{key}' must be {_describe(expected)}")
        for key, (_, required) in schema.items():
            if required and key not in data:
                self.at(path, f"{what} is missing '{key}'")
        return good

    def array_of_tables(self, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key, [])
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return value
        self.at((key,), f"'{key}' must be written as [[{key}]] tables")
        return []


def _is(value: Any, expected: type) -> bool:
    if expected is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if expected is dict:
        return isinstance(value, (dict, list))  # arrays of tables are checked by their readers
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def _describe(expected: type) -> str:
    return {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        date: "a date (2027-06-30)",
        list: "a list of text",
        dict: "a table",
    }[expected]


def load_plan(folder: Path, force: ForceFields | None = None) -> tuple[LessonPlan | None, list[PlanProblem]]:
    """The plan and its warnings, or None and every problem found (warnings among them). With `force`, every
    `{{force.…}}` in its texts is filled in, and a field it uses that is not set is a warning."""
    problems: list[PlanProblem] = []
    try:
        plan = _load(folder.resolve(), problems)
    except Exception as error:  # a bug in here must not stop the app: name the plan, log the bug, carry on
        log.error("plan folder %s could not be checked: %s", folder.name, failure_record(error))
        problems.append(
            PlanProblem(
                folder / MANIFEST,
                1,
                f"could not be checked because of a fault in Trainer Desk ({type(error).__name__}); the details "
                "are in Trainer Desk's log",
            )
        )
        plan = None
    if plan is None or any(not p.warning for p in problems):
        return None, problems
    plan = replace(plan, warnings=tuple(f"{p.file.name}:{p.line}: {p.message}" for p in problems))
    if force is not None:
        missing = force.missing_in(texts_of(plan))
        problems += [
            PlanProblem(folder / MANIFEST, 1, f"force field '{name}' ({FIELDS[name]}) is not set", warning=True)
            for name in missing
        ]
        plan = replace(fill_all(plan, force), force_fields_missing=tuple(missing))
    return plan, problems


def readable_title(manifest: Path) -> str:
    """The title a plan.toml gives, or "" where it cannot be read: a plan that cannot be used is still named
    as trainers know it, not only by its folder."""
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    title = data.get("title")
    return title.strip() if isinstance(title, str) else ""


def _load(folder: Path, problems: list[PlanProblem]) -> LessonPlan | None:
    report = _Report(folder / MANIFEST, problems)
    raw = report.read()
    if raw is None:
        return None
    top = report.table(raw, (), _TOP, "the plan")
    files = _FileChecker(folder, report)

    plan_id = top.get("id", "")
    if plan_id and not _ID.match(plan_id):
        report.at(("id",), "id must be lowercase letters, digits and '-'")
    elif plan_id and plan_id != folder.name:
        report.at(("id",), f"id '{plan_id}' does not match the folder name '{folder.name}'")
    if "format" in top and top["format"] != FORMAT_VERSION:
        report.at(("format",), f"format {top['format']} is not supported (this version reads {FORMAT_VERSION})")
    if "version" in top and not _VERSION.match(top["version"]):
        report.at(("version",), "version must look like 1.2.0")
    for mode in top.get("delivery", []):
        if mode not in _DELIVERY:
            report.at(("delivery",), f"delivery '{mode}' must be one of: in-person, virtual")

    programme = report.table(raw.get("programme", {}), ("programme",), _PROGRAMME, "[programme]")
    if programme.get("id") and not _ID.match(programme["id"]):
        report.at(("programme", "id"), "programme id must be lowercase letters, digits and '-'")

    objectives = _objectives(report, raw)
    sections = _sections(report, raw, files, {o.id for o in objectives})

    used = {o for s in sections for o in s.objectives}
    for index, objective in enumerate(objectives):
        if objective.id not in used:
            report.at(("objectives", index), f"objective '{objective.id}' is not served by any section")
    total = sum(s.minutes for s in sections)
    if "duration_minutes" in top and all(s.minutes for s in sections) and total != top["duration_minutes"]:
        report.at(
            ("duration_minutes",),
            f"sections add up to {total} minutes but duration_minutes is {top['duration_minutes']}",
        )

    preparation = _preparation(report, raw)
    follow_up = _follow_up(report, raw)
    faq = load_faq(folder / FAQ_FILE, problems)
    signposting = files.markdown(SIGNPOSTING, ())
    if any(not problem.warning for problem in problems):
        return None
    return LessonPlan(
        folder=folder,
        id=plan_id,
        title=top["title"],
        version=top["version"],
        audience=top["audience"],
        duration_minutes=top["duration_minutes"],
        delivery=tuple(top["delivery"]),
        summary=top["summary"],
        programme=Programme(programme["id"], programme["name"], programme.get("mandatory", False)),
        objectives=tuple(objectives),
        sections=tuple(sections),
        faq=tuple(faq),
        signposting=signposting,
        sample_media=top.get("sample_media", False),
        preparation=preparation,
        follow_up=tuple(follow_up),
    )


def _preparation(report: _Report, raw: dict[str, Any]) -> Preparation:
    """The optional [preparation] table; a plan past its review date is a warning, not a fault."""
    if "preparation" not in raw:
        return Preparation()
    good = report.table(raw["preparation"], ("preparation",), _PREPARATION, "[preparation]")
    review_by = good.get("review_by")
    if isinstance(review_by, date) and review_by < force_clock.today():
        report.at(("preparation", "review_by"), f"this plan was due for review by {review_by:%d %b %Y}", warning=True)
    return Preparation(
        trainers=good.get("trainers", ""),
        group_size=good.get("group_size", ""),
        room=good.get("room", ""),
        checklist=tuple(good.get("checklist", ())),
        owner=good.get("owner", ""),
        review_by=review_by if isinstance(review_by, date) else None,
    )


def _objectives(report: _Report, raw: dict[str, Any]) -> list[Objective]:
    found: list[Objective] = []
    seen: set[str] = set()
    for index, item in enumerate(report.array_of_tables(raw, "objectives")):
        path: KeyPath = ("objectives", index)
        good = report.table(item, path, _OBJECTIVE, "[[objectives]]")
        if "id" not in good or "text" not in good:
            continue
        if not _ID.match(good["id"]):
            report.at((*path, "id"), "objective id must be lowercase letters, digits and '-'")
        elif good["id"] in seen:
            report.at((*path, "id"), f"objective id '{good['id']}' is used twice")
        seen.add(good["id"])
        found.append(Objective(good["id"], good["text"]))
    if not found and "objectives" in raw:
        report.at(("objectives",), "a plan needs at least one objective")
    return found


def _follow_up(report: _Report, raw: dict[str, Any]) -> list[FollowUpQuestion]:
    """The six-month follow-up questions: optional, each with an id, the question, and how it is answered."""
    found: list[FollowUpQuestion] = []
    seen: set[str] = set()
    answers = ", ".join(a.value for a in FollowUpAnswer)
    for index, item in enumerate(report.array_of_tables(raw, "follow_up") if "follow_up" in raw else []):
        path: KeyPath = ("follow_up", index)
        good = report.table(item, path, _FOLLOW_UP, "[[follow_up]]")
        if not {"id", "question", "answer"} <= set(good):
            continue
        if not _ID.match(good["id"]):
            report.at((*path, "id"), "follow-up question id must be lowercase letters, digits and '-'")
        elif good["id"] in seen:
            report.at((*path, "id"), f"follow-up question id '{good['id']}' is used twice")
        seen.add(good["id"])
        if not good["question"].strip() or len(good["question"]) > 300:
            report.at((*path, "question"), "a follow-up question is 1 to 300 characters")
        if good["answer"] not in {a.value for a in FollowUpAnswer}:
            report.at((*path, "answer"), f"answer must be one of: {answers}")
            continue
        found.append(FollowUpQuestion(good["id"], good["question"].strip(), FollowUpAnswer(good["answer"])))
    if len(found) > MAX_FOLLOW_UP:
        report.at(("follow_up",), f"at most {MAX_FOLLOW_UP} follow-up questions: people answer them in a few minutes")
    return found


def _sections(report: _Report, raw: dict[str, Any], files: _FileChecker, objective_ids: set[str]) -> list[Section]:
    """Every section is checked in full; one bad value is reported once, not again in the totals."""
    found: list[Section] = []
    seen: set[str] = set()
    for index, item in enumerate(report.array_of_tables(raw, "sections")):
        path: KeyPath = ("sections", index)
        good = report.table(item, path, _SECTION, "[[sections]]")
        section_id = good.get("id", "")
        if section_id and not _ID.match(section_id):
            report.at((*path, "id"), "section id must be lowercase letters, digits and '-'")
        elif section_id in seen:
            report.at((*path, "id"), f"section id '{section_id}' is used twice")
        seen.add(section_id)
        kind = good.get("kind", SectionKind.TALK.value)
        if kind not in {k.value for k in SectionKind}:
            choices = ", ".join(k.value for k in SectionKind)
            report.at((*path, "kind"), f"kind '{kind}' must be one of: {choices}")
            kind = SectionKind.TALK.value
        minutes = good.get("minutes", 0)
        if "minutes" in good and not 1 <= minutes <= 240:
            report.at((*path, "minutes"), "minutes must be between 1 and 240")
        for objective in good.get("objectives", []):
            if objective not in objective_ids:
                report.at((*path, "objectives"), f"objective '{objective}' is not one of this plan's objectives")
        script = files.markdown(good["script"], (*path, "script")) if "script" in good else ""
        files.check_links(good.get("audience", ""), (*path, "audience"))
        for joined in joined_lines(good.get("audience", "")):  # the room would see one line: tell the author
            report.at((*path, "audience"), f"the audience text of section '{section_id}': {joined}", warning=True)
        video = _video(report, files, good["video"], (*path, "video")) if "video" in good else None
        if kind == SectionKind.VIDEO and "video" not in item:
            report.at(path, "a video section needs a [sections.video] table")
        found.append(
            Section(
                id=section_id,
                title=good.get("title", ""),
                kind=SectionKind(kind),
                minutes=minutes,
                objectives=tuple(good.get("objectives", ())),
                script=script,
                audience=good.get("audience", ""),
                prompts=tuple(good.get("prompts", ())),
                content_warning=good.get("content_warning", ""),
                video=video,
            )
        )
    if not found and "sections" in raw:
        report.at(("sections",), "a plan needs at least one section")
    return found


def _video(report: _Report, files: _FileChecker, data: Any, path: KeyPath) -> Video | None:
    """A film or its captions not yet on this laptop, or captions that cannot be read, is a warning: the
    session goes on without them."""
    good = report.table(data, path, _VIDEO, "[sections.video]")
    video_file = files.existing(good["file"], (*path, "file"), media=True) if "file" in good else None
    captions = files.existing(good["captions"], (*path, "captions"), media=True) if "captions" in good else None
    if video_file and video_file.suffix.lower() != ".mp4":
        report.at((*path, "file"), "videos must be MP4 files (H.264 video, AAC audio)")
    captions_problem = ""
    if captions and captions.is_file():
        # Damaged captions are a warning too: the film plays without them (the presenter says so), which is
        # better on the day than no session at all. HQ refuses them at publish, where they can be fixed.
        name = good["captions"]
        try:
            parse_webvtt(captions.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            captions_problem = f"captions file {name} is not UTF-8 text"
        except OSError as error:
            captions_problem = f"captions file {name} cannot be read ({error.strerror})"
        except CaptionError as error:
            captions_problem = f"captions file {name}: {error}"
        if captions_problem:
            report.at((*path, "captions"), captions_problem, warning=True, refused_at_publish=True)
    start = good.get("start_seconds", 0)
    if start < 0:
        report.at((*path, "start_seconds"), "start_seconds cannot be negative")
    if video_file and captions:
        return Video(video_file, captions, max(start, 0), captions_problem)
    return None


class _FileChecker:
    """Resolves paths named in a plan, refusing any that leave the plan folder."""

    def __init__(self, folder: Path, report: _Report) -> None:
        self.folder = folder
        self.report = report

    def existing(self, relative: str, path: KeyPath, report: _Report | None = None, media: bool = False) -> Path | None:
        """The file's path inside the plan folder. A missing media file is a warning and its path is kept."""
        where = report or self.report
        if not relative or Path(relative).is_absolute() or relative.startswith(("/", "\\")):
            where.at(path, f"'{relative}' must be a path inside the plan folder")
            return None
        target = (self.folder / relative).resolve()
        if not target.is_relative_to(self.folder):
            where.at(path, f"'{relative}' points outside the plan folder")
            return None
        if not target.is_file():
            where.at(path, f"file '{relative}' is missing", warning=media)
            return target if media else None
        return target

    def markdown(self, relative: str, path: KeyPath) -> str:
        target = self.existing(relative, path) if path else self._plain(relative)
        if target is None:
            return ""
        try:
            text = target.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            self.report.problems.append(PlanProblem(target, 1, f"cannot read file: {error}"))
            return ""
        self.check_links(text, None, target)
        check_placeholders(text, target, self.report.problems)
        return text

    def _plain(self, name: str) -> Path | None:
        target = self.folder / name
        if not target.is_file():
            self.report.problems.append(PlanProblem(target, 1, "file is missing"))
            return None
        return target

    def check_links(self, text: str, path: KeyPath | None, file: Path | None = None) -> None:
        """Links go to https addresses or to files inside the plan folder."""
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _LINK.finditer(line):
                target = match.group(1)
                problem = self._link_problem(target)
                if not problem:
                    continue
                if file is not None:
                    self.report.problems.append(PlanProblem(file, number, problem))
                elif path is not None:
                    self.report.at(path, problem)

    def _link_problem(self, target: str) -> str | None:
        if target.startswith(_ALLOWED_SCHEMES) or target.startswith("#"):
            return None
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
            return f"link '{target}' must be an https:// address or a file in the plan folder"
        local = (self.folder / target.split("#", 1)[0]).resolve()
        if not local.is_relative_to(self.folder):
            return f"link '{target}' points outside the plan folder"
        if not local.exists():
            return f"link '{target}' points to a file that does not exist"
        return None


def check_placeholders(text: str, file: Path, problems: list[PlanProblem]) -> None:
    """A `{{force.…}}` naming no force field is an error at its line (misspelt, it would only show as not set)."""
    known = ", ".join(FIELDS)
    for line, name in unknown_placeholders(text):
        problems.append(PlanProblem(file, line, f"'{{{{force.{name}}}}}' is not a force field (they are: {known})"))


def load_faq(file: Path, problems: list[PlanProblem]) -> list[FaqEntry]:
    report = _Report(file, problems)
    raw = report.read()
    if raw is None:
        return []
    top = report.table(raw, (), _FAQ_FILE, "the FAQ file")
    entries: list[FaqEntry] = []
    seen: set[str] = set()
    for index, item in enumerate(report.array_of_tables(top, "faq") if "faq" in top else []):
        path: KeyPath = ("faq", index)
        good = report.table(item, path, _FAQ, "[[faq]]")
        if "question" not in good or "answer" not in good:
            continue
        key = " ".join(good["question"].lower().split())
        if key in seen:
            report.at((*path, "question"), "this question is already in the file")
        seen.add(key)
        if not good["answer"].strip():
            report.at((*path, "answer"), "answer is empty")
        entries.append(
            FaqEntry(
                good["question"].strip(),
                good["answer"].strip(),
                tuple(good.get("tags", ())),
                good.get("source", ""),
            )
        )
    return entries
