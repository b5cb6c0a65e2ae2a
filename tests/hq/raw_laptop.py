"""A laptop as HQ sees it: raw HTTP and hand-made records, so a test can send what a hostile or careless
device would, not only what our own client sends."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

import requests

from tests.hq_server import Hq
from trainer_desk.hq import devices
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION


def new_uuid() -> str:
    return str(uuidlib.uuid4())


@dataclass
class RawLaptop:
    hq: Hq
    token: str
    trainer: str
    unit: str

    @classmethod
    def enrolled(cls, hq: Hq, trainer: str, unit: str = "NORTH", role: str = "trainer") -> RawLaptop:
        code = devices.issue_code(hq.engine, trainer, unit, role=role)
        answer = requests.post(
            hq.url + "/v1/enroll",
            json={"code": code, "device_name": f"laptop of {trainer}"},
            headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return cls(hq, answer.json()["token"], trainer, unit)

    def post(self, body: bytes | dict[str, Any]) -> requests.Response:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": f"Bearer {self.token}"}
        if isinstance(body, bytes):
            headers["Content-Type"] = "application/json"
            return requests.post(self.hq.url + "/v1/push", data=body, headers=headers, timeout=10)
        return requests.post(self.hq.url + "/v1/push", json=body, headers=headers, timeout=10)

    def push(self, *items: dict[str, Any]) -> list[tuple[str, str]]:
        """Each item's (status, reason), in order."""
        answer = self.post({"items": list(items)})
        assert answer.status_code == 200, answer.text
        results = answer.json()["results"]
        assert [(r["uuid"], r["version"]) for r in results] == [(i["uuid"], i["version"]) for i in items]
        return [(r["status"], r["reason"]) for r in results]


def item(entity: str, payload: dict[str, Any], version: int = 1, op: str = "upsert") -> dict[str, Any]:
    return {
        "entity": entity,
        "uuid": payload["uuid"],
        "version": version,
        "base_version": version - 1 if version > 1 else None,
        "op": op,
        "payload": {**payload, "version": version} if entity in ("session", "attendance") else payload,
    }


def session(unit: str = "NORTH", trainers: tuple[str, ...] = ("100234",), status: str = "running") -> dict[str, Any]:
    return {
        "uuid": new_uuid(),
        "plan_id": "signa-core",
        "plan_version": "1.0.0",
        "programme_id": "signa",
        "unit_code": unit,
        "venue": "Room 4",
        "mode": "in-person",
        "starts_at": "2026-11-23T09:00:00+00:00",
        "ends_at": None,
        "status": status,
        "trainers": list(trainers),
    }


def attendance(session_payload: dict[str, Any], staff_number: str, unit: str = "NORTH") -> dict[str, Any]:
    return {
        "uuid": new_uuid(),
        "session_uuid": session_payload["uuid"],
        "staff_number": staff_number,
        "unit_code": unit,  # the attendee's unit, which may differ from the session's
        "status": "present",
        "marked_at": "2026-11-23T09:05:00+00:00",
        "recorded_by": "100234",
        "follow_up_due": "2027-05-23",
        "walk_in": False,
        "walk_in_name": "",
    }
