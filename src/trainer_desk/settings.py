"""Settings: what IT sets for every laptop, then what the trainer sets, then the built-in defaults.

Files are TOML. A system-wide file (managed rollout) is read first, the user's file second; a key in the
user's file overrides the same key from IT unless IT lists it under `locked`. How the laptop reaches HQ (which
certificates to trust, which proxy to use) is IT's alone: those settings are read only from IT's file, so nobody
can quietly have the laptop trust another certificate authority or send its registrations through another
proxy. docs/it-settings.md describes them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.force_fields import NO_FIELDS, ForceFields, from_table
from trainer_desk.core.units import OrgUnit, UnitKind


@dataclass(frozen=True, slots=True)
class Settings:
    force_name: str = "Demonstration Police Service"
    protective_marking: str = "OFFICIAL-SENSITIVE"
    hq_url: str = ""
    backups_kept: int = 7
    encrypt_database: bool = True
    keep_synced_days: int = 90
    units: tuple[OrgUnit, ...] = field(default=())  # IT's unit list; empty: the twelve BCUs and one OCU
    without_keyring: str = "passphrase"  # or "refuse": what to do on a computer with no keyring
    hq_certificates: str = "bundled"  # or "system": the operating system's store, where a force installs its CA
    hq_ca_file: str = ""  # a PEM file of certificate authorities trusted as well, for HQ only
    hq_proxy: str = ""  # "": straight to HQ; "system": the system's proxy settings; or "http://proxy:8080"
    force: ForceFields = NO_FIELDS  # IT's [force] table: the force's facts for plans HQ has not filled in
    locked: tuple[str, ...] = field(default=())


_TYPES: dict[str, type] = {
    "force_name": str,
    "protective_marking": str,
    "hq_url": str,
    "backups_kept": int,
    "encrypt_database": bool,
    "keep_synced_days": int,
    "without_keyring": str,
    "hq_certificates": str,
    "hq_ca_file": str,
    "hq_proxy": str,
}
_CHOICES = {"without_keyring": ("passphrase", "refuse"), "hq_certificates": ("bundled", "system")}
IT_ONLY = ("hq_certificates", "hq_ca_file", "hq_proxy")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a byte-order mark, as Notepad saves
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as error:
        raise UserFacingError(f"{path}: settings file is not valid TOML: {error}") from error
    except OSError as error:
        raise UserFacingError(f"{path}: cannot read settings file: {error.strerror}") from error
    known = {f.name for f in fields(Settings)}
    for key, value in data.items():
        if key not in known:
            raise UserFacingError(f"{path}: unknown setting '{key}'")
        if key == "units":
            data[key] = _units(path, value)
            continue
        if key == "force":
            data[key], problems = from_table(value)
            if problems:
                raise UserFacingError(f"{path}: {problems[0]}", hint="docs/it-settings.md lists the force fields.")
            continue
        expected = tuple if key == "locked" else _TYPES[key]
        if expected is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise UserFacingError(f"{path}: setting 'locked' must be a list of setting names")
            data[key] = tuple(value)
        elif not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise UserFacingError(f"{path}: setting '{key}' must be a {expected.__name__}")
        elif key in _CHOICES and value not in _CHOICES[key]:
            raise UserFacingError(f"{path}: setting '{key}' must be one of: {', '.join(_CHOICES[key])}")
        elif key == "hq_proxy" and value not in ("", "system"):
            _check_proxy(path, str(value))
    return data


def _check_proxy(path: Path, value: str) -> None:
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("http", "https") or not parts.hostname or port is None or parts.path not in ("", "/"):
        raise UserFacingError(
            f"{path}: setting 'hq_proxy' must be \"system\" or a proxy's address with its port, "
            "like http://proxy.example.police.uk:8080"
        )


def _units(path: Path, value: Any) -> tuple[OrgUnit, ...]:
    """`units = [{code = "NORTH", name = "North", kind = "BCU"}, ...]`"""
    if not isinstance(value, list):
        raise UserFacingError(f"{path}: setting 'units' must be a list of {{code, name, kind}} tables")
    found = []
    for number, entry in enumerate(value, start=1):
        if (
            not isinstance(entry, dict)
            or set(entry) != {"code", "name", "kind"}
            or not all(isinstance(v, str) and v.strip() for v in entry.values())
            or entry["kind"] not in ("BCU", "OCU")
        ):
            raise UserFacingError(f"{path}: unit {number} needs text code and name, and kind BCU or OCU")
        found.append(OrgUnit(entry["code"].strip().upper(), entry["name"].strip(), UnitKind(entry["kind"])))
    return tuple(found)


def load_settings(system_file: Path, user_file: Path) -> Settings:
    system = _read(system_file)
    user = _read(user_file)
    for key in IT_ONLY:
        if key in user:
            raise UserFacingError(
                f"{user_file}: setting '{key}' can only be set by IT, in {system_file}",
                hint="How this laptop reaches HQ is decided for every laptop at once; ask IT.",
            )
    locked = set(system.get("locked", ()))
    user = {k: v for k, v in user.items() if k not in locked and k != "locked"}
    return replace(Settings(), **{**system, **user})
