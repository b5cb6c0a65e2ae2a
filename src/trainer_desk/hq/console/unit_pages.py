"""The console's Units page, for an administrator of the whole of HQ: the force's unit tree as HQ holds it, with
how many people on the roster each unit has (with the units under it, as the dashboard counts), the tree as a
units.toml to download and edit, and a new units.toml uploaded, shown as what it would change, then applied on a
second press. Reading and applying the file are the functions `trainer-desk-hq units import`
calls, with the same refusal of a tree that would lose a unit still in use."""

# No `from __future__ import annotations`: see app.py.
import re
import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine
from starlette.datastructures import UploadFile as StarletteUpload

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.unit_names import unit_label
from trainer_desk.core.unit_tree import UnitNode, read_unit_tree, unit_tree_text
from trainer_desk.core.units import DEFAULT_UNITS
from trainer_desk.hq import audit_trail, roster, unit_tree_import, units, upload_store
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.downloads import attachment
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.unit_choices import tree_choices

MAX_TREE_BYTES = 5 * 1024 * 1024  # a national tree of tens of thousands of units is a few megabytes at most
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,39}")  # as a units.toml's codes are checked
_TICKET = re.compile(r"^[A-Za-z0-9_-]{20,30}\.toml$")


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    force_admins = allowed("admin", whole_hq=True)  # the tree is the whole of HQ's, every force in it
    uploads = home / "uploads"

    def units_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        rows = _tree_rows(engine)
        imported = _imported(engine)
        in_use = [u.code for u in _in_use(rows)] if imported else []  # a new HQ's first unit is the force at the top
        context.setdefault("typed", {})
        return page(
            request, "units.html", status, tree=rows, demonstration=not imported,
            parents=tree_choices(engine, in_use) if in_use else [], **context,
        )  # fmt: skip

    @app.get("/units", response_class=HTMLResponse)
    async def unit_tree(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> HTMLResponse:
        return await run_in_threadpool(units_page, request, change=None, message=said_once(request))

    @app.get("/units.toml", response_model=None)
    async def unit_tree_file(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> Response:
        """The tree HQ holds as the file that made it: edited and uploaded again, it changes only what was edited
        (a file written from nothing was the only way before, with no example of its shape)."""
        rows = await run_in_threadpool(_tree_rows, engine)
        nodes = _in_use(rows)
        await run_in_threadpool(audit_trail.record, engine, who.username, "download", "unit tree (units.toml)")
        return attachment(unit_tree_text(nodes).encode("utf-8"), "application/toml; charset=utf-8", "units.toml")

    @app.post("/units", response_class=HTMLResponse)
    async def unit_tree_preview(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> HTMLResponse:
        form = await checked_form(request, upload=True)
        upload = form.get("file")
        if not isinstance(upload, StarletteUpload) or not upload.filename:
            return await run_in_threadpool(
                units_page, request, 400, change=None, problem="Choose the units.toml to upload.", problem_field="file"
            )
        content = await upload.read(MAX_TREE_BYTES + 1)
        if len(content) > MAX_TREE_BYTES:
            return await run_in_threadpool(
                units_page,
                request,
                413,
                change=None,
                problem="That file is larger than any unit tree.",
                problem_field="file",
            )
        return await _preview(request, content, upload.filename[:200])

    @app.post("/units/add", response_class=HTMLResponse)
    async def unit_added(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> HTMLResponse:
        """One new unit without a file to edit: the tree HQ holds with the unit added, shown and applied exactly
        as an uploaded file is (one way to change the tree, with one set of checks). On a new HQ, the first unit
        is the first tree (the force at the top), which replaces the demonstration units."""
        form = await checked_form(request)
        typed = {k: " ".join(str(form.get(k, "")).split()) for k in ("code", "name", "kind", "parent")}
        rows = await run_in_threadpool(_tree_rows, engine) if await run_in_threadpool(_imported, engine) else []
        try:
            nodes = _with_unit(rows, typed)
        except FieldError as error:
            return await run_in_threadpool(
                units_page, request, 400, change=None, typed=typed, **problem_at(error, "new-")
            )
        content = unit_tree_text(nodes).encode("utf-8")
        return await _preview(request, content, f"units.toml with {typed['code'].upper()} added", "", typed=typed)

    async def _preview(
        request: Request, content: bytes, filename: str, field: str = "file", **context: Any
    ) -> HTMLResponse:
        """The file is kept under a random name until it is applied (or cleared with other old uploads); the
        preview is what applying it would do, with the command line's checks and messages."""
        ticket = secrets.token_urlsafe(16) + ".toml"
        path = await run_in_threadpool(upload_store.keep_file, uploads, ticket, content)
        try:
            nodes = await run_in_threadpool(read_unit_tree, path, filename)
            change = await run_in_threadpool(unit_tree_import.plan_tree, engine, nodes)
        except UserFacingError as error:
            path.unlink(missing_ok=True)
            shown = _problem(error) if field else {"problem": error.message.replace("\n", " "), "problem_field": ""}
            return await run_in_threadpool(units_page, request, 400, change=None, **shown, **context)
        except BaseException:
            path.unlink(missing_ok=True)  # no file is kept that nobody can apply
            raise
        if change.refusal:
            path.unlink(missing_ok=True)
        return await run_in_threadpool(
            units_page, request, change=change, count=len(nodes), ticket=ticket, filename=filename
        )

    @app.post("/units/apply", response_model=None)
    async def unit_tree_apply(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> Response:
        form = await checked_form(request)
        ticket = str(form.get("ticket", ""))
        filename = str(form.get("filename", ""))[:200] or "units.toml"
        path = uploads / ticket
        if not _TICKET.fullmatch(ticket) or not path.is_file():
            raise HTTPException(status_code=404, detail="That upload has gone: upload the file again.")
        try:
            nodes = await run_in_threadpool(read_unit_tree, path, filename)
            added, changed, retired = await run_in_threadpool(unit_tree_import.apply_tree, engine, nodes)
        except UserFacingError as error:
            return await run_in_threadpool(units_page, request, 400, change=None, **_problem(error))
        finally:
            path.unlink(missing_ok=True)
        detail = f"{filename}: {added} added, {changed} changed, {retired} retired"
        await run_in_threadpool(audit_trail.record, engine, who.username, "units imported", detail)
        return done_then_go(request, f"Unit tree imported from {detail}", "/console/units")


def _with_unit(rows: list[dict[str, Any]], typed: dict[str, str]) -> list[UnitNode]:
    """The tree HQ holds (its units in use) with the unit typed added, after the checks a person can act on
    at the form: a code already in use, a blank name or kind, a parent not in the tree."""
    code = typed["code"].upper()
    kept = _in_use(rows)
    known = {n.code: n for n in kept}
    if not _CODE.fullmatch(code):
        raise FieldError("code", "Give the new unit a code of up to 40 letters, digits and dashes, such as NORTH-RESP.")
    if code in known:
        raise FieldError("code", f"{unit_label(code, known[code].name)} has that code already: choose another.")
    if not typed["name"] or len(typed["name"]) > 120:
        raise FieldError("name", "Give the unit's name as people know it, in up to 120 characters.")
    if not typed["kind"] or len(typed["kind"]) > 40:
        raise FieldError("kind", "Give the unit's kind in a word or two, such as BCU or team.")
    if typed["parent"] and typed["parent"] not in known:
        raise FieldError("parent", "Choose the unit it is part of from the list.")
    return [*kept, UnitNode(code, typed["name"], typed["kind"], typed["parent"] or None)]


def _in_use(rows: list[dict[str, Any]]) -> list[UnitNode]:
    """The units of the tree not retired, each after its parent: the file that would make the tree again."""
    return [
        UnitNode(str(u["code"]), str(u["name"]), str(u["kind"]), u.get("parent") or None)
        for u in rows
        if not u["retired"]
    ]


def _problem(error: UserFacingError) -> dict[str, Any]:
    """The refusal's first line as the alert beside the file field (the file is what to mend), and each problem
    it lists as an item of its own below it."""
    first, *rest = error.message.split("\n")
    return {"problem": first, "problem_field": "file", "problems": [line.strip() for line in rest if line.strip()]}


def _imported(engine: Engine) -> bool:
    with engine.connect() as conn:
        return units.tree_seq(conn) is not None


def _tree_rows(engine: Engine) -> list[dict[str, Any]]:
    """Each unit under its parent, depth first, with its depth, the people on the roster in it and every unit
    under it (`people`, as the dashboard and a unit's page count it) and those placed in it itself (`own`);
    before any tree is imported, the demonstration units HQ checks rosters against."""
    placed = roster.roster_sizes(engine)
    with engine.connect() as conn:
        found = units.tree(conn)
    if not found:
        return [
            {"code": u.code, "name": u.name, "kind": u.kind.value, "parent": None, "retired": False, "depth": 0,
             "people": placed.get(u.code, 0), "own": placed.get(u.code, 0)}
            for u in DEFAULT_UNITS
        ]  # fmt: skip
    parents = {str(u["code"]): u["parent"] for u in found}
    people: dict[str, int] = {}
    for code, count in placed.items():
        node: object = code
        while isinstance(node, str) and node in parents:  # the unit, then each unit above it
            people[node] = people.get(node, 0) + count
            node = parents[node]
    children: dict[object, list[dict[str, object]]] = {}
    for unit in found:
        children.setdefault(unit["parent"], []).append(unit)
    rows: list[dict[str, Any]] = []
    waiting: list[tuple[dict[str, object], int]] = [(u, 0) for u in reversed(children.get(None, []))]
    while waiting:
        unit, depth = waiting.pop()
        code = str(unit["code"])
        rows.append({**unit, "depth": depth, "people": people.get(code, 0), "own": placed.get(code, 0)})
        waiting += [(child, depth + 1) for child in reversed(children.get(unit["code"], []))]
    return rows
