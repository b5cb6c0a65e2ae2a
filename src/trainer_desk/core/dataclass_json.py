"""Frozen dataclasses to plain JSON values and back, guided by their type hints.

Kept files that the app reads back (the lesson plan cache) must never be able to do more than the data they
describe: unlike a pickle, which can name any callable to run, a value read here can only become the types
its dataclass declares. Whatever does not fit (a number where text belongs, an unknown field, a missing one,
an enum value that does not exist) raises `ValueError`, and the caller reads its sources instead.

Supported: dataclasses, `str`, `int`, `bool`, `float`, `Path`, `date`, `StrEnum`s, `tuple[X, ...]`,
`Mapping[str, str]`, and `X | None`. A float field takes only floats: nothing here keeps one.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

Plain = None | bool | int | float | str | list["Plain"] | dict[str, "Plain"]


def to_plain(value: object) -> Plain:
    """`value` as JSON-ready lists, dicts and scalars."""
    if value is None or isinstance(value, bool | int | float | str):
        return value  # a StrEnum is a str, and is written as its value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be kept as JSON")


def from_plain(kind: type[T], plain: object) -> T:
    """A `kind` rebuilt from what `to_plain` wrote; `ValueError` when `plain` does not fit it."""
    read: Reader = _reader(typing.cast(Any, kind))
    return typing.cast(T, read(plain, kind.__name__))


Reader = Callable[[object, str], object]


@cache
def _reader(kind: Any) -> Reader:
    """How to read one `kind` from plain data, worked out once per type: a cache holds thousands of values."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [option for option in typing.get_args(kind) if option is not type(None)]
        read_inner = _reader(inner)
        return lambda plain, where: None if plain is None else read_inner(plain, where)
    if origin is tuple:
        item, ellipsis = typing.get_args(kind)
        if ellipsis is not Ellipsis:
            raise TypeError(f"{kind!r}: only tuple[X, ...] is supported")
        read_item = _reader(item)

        def read_tuple(plain: object, where: str) -> object:
            if not isinstance(plain, list):
                raise ValueError(f"{where}: expected a list")
            return tuple(read_item(value, f"{where}[{n}]") for n, value in enumerate(plain))

        return read_tuple
    if origin is Mapping or kind is Mapping:
        return _read_text_table
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass_reader(kind)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _enum_reader(kind)
    if kind is Path:
        return lambda plain, where: Path(_scalar(str, plain, where))
    if kind is date:
        return _read_date
    if kind in (str, int, bool, float):
        return lambda plain, where: _scalar(kind, plain, where)
    raise TypeError(f"{kind!r} cannot be read from JSON")


def _dataclass_reader(kind: type) -> Reader:
    resolved = typing.get_type_hints(kind)  # the modules use postponed annotations
    readers = {f.name: _reader(resolved[f.name]) for f in dataclasses.fields(kind) if f.init}

    def read(plain: object, where: str) -> object:
        if not isinstance(plain, dict):
            raise ValueError(f"{where}: expected a table")
        if plain.keys() != readers.keys():
            odd = sorted(plain.keys() ^ readers.keys())[0]
            raise ValueError(f"{where}: {odd!r} is {'missing' if odd in readers else 'unexpected'}")
        return kind(**{name: reader(plain[name], f"{where}.{name}") for name, reader in readers.items()})

    return read


def _enum_reader(kind: type[Enum]) -> Reader:
    def read(plain: object, where: str) -> object:
        try:
            return kind(plain)
        except ValueError:
            raise ValueError(f"{where}: {plain!r} is not a {kind.__name__}") from None

    return read


def _read_text_table(plain: object, where: str) -> object:
    if not isinstance(plain, dict) or not all(isinstance(v, str) for v in plain.values()):
        raise ValueError(f"{where}: expected a table of text")
    return dict(plain)


def _read_date(plain: object, where: str) -> object:
    try:
        return date.fromisoformat(_scalar(str, plain, where))
    except ValueError:
        raise ValueError(f"{where}: not a date") from None


def _scalar(kind: type[T], plain: object, where: str) -> T:
    # bool is an int in Python; a flag must not read as a count, nor a count as a flag
    if type(plain) is not kind:
        raise ValueError(f"{where}: expected {kind.__name__}, found {type(plain).__name__}")
    return plain  # checked just above
