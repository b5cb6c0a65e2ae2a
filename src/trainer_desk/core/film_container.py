"""Whether a film file's bytes are the container its name says, read without decoding a frame.

A film replaced by a text file, cut short in a copy, or saved empty is found otherwise only on a laptop, in a
classroom, when it will not play. HQ has no media stack, but a container's outline is plain bytes: an MP4 or
MOV (ISO base media) is a run of boxes, each led by its size and four-letter type, starting with `ftyp` and
holding a `moov` box (the film's index, without which nothing plays); a WebM or MKV starts with the EBML
header's four bytes. Reading that outline is a few small reads however large the film.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

ISO_MEDIA = frozenset({".mp4", ".m4v", ".mov"})
MATROSKA = frozenset({".webm", ".mkv"})
FILM_SUFFIXES = ISO_MEDIA | MATROSKA
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_KIND = {".mp4": "MP4", ".m4v": "MP4", ".mov": "MOV", ".webm": "WebM", ".mkv": "MKV"}
_A_KIND = {"MP4": "an MP4", "MOV": "a MOV", "WebM": "a WebM", "MKV": "an MKV"}


def is_film(path: Path) -> bool:
    """True for a file named as a film this checker knows how to read."""
    return path.suffix.lower() in FILM_SUFFIXES


def film_problem(path: Path) -> str | None:
    """What is wrong with the film at `path` as a sentence, or None when its container is whole enough to play.

    Only the outline is read: a film that passes may still hold a codec a laptop lacks, which the laptop says
    when it plays it."""
    suffix = path.suffix.lower()
    kind = _KIND.get(suffix, suffix)
    try:
        size = path.stat().st_size
        if size == 0:
            return f"the film is empty (0 bytes): copy the {kind} file again from where it was made."
        with path.open("rb") as film:
            if suffix in MATROSKA:
                return _matroska_problem(film, kind)
            return _iso_problem(film, size, kind)
    except OSError as error:
        return f"the film cannot be read ({error.strerror or error})."


def _matroska_problem(film: BinaryIO, kind: str) -> str | None:
    start = film.read(len(EBML_MAGIC))
    if start == EBML_MAGIC:
        return None
    a_kind = _A_KIND.get(kind, kind)
    return f"this is not {a_kind} film: {a_kind} file starts with the EBML header, and this one {_starts(start)}."


def _iso_problem(film: BinaryIO, size: int, kind: str) -> str | None:
    """Walk the top-level boxes, seeking past each one, until the `moov` box is found whole."""
    a_kind = _A_KIND.get(kind, kind)
    offset = 0
    while offset + 8 <= size:
        film.seek(offset)
        head = film.read(16)
        length, box = struct.unpack(">I4s", head[:8])
        header = 8
        if length == 1 and len(head) == 16:  # a 64-bit size follows the type
            (length,) = struct.unpack(">Q", head[8:16])
            header = 16
        elif length == 0:  # the last box runs to the end of the file
            length = size - offset
        if offset == 0 and box != b"ftyp":
            return f"this is not {a_kind} film: {a_kind} file starts with an 'ftyp' box, and this one {_starts(head)}."
        if length < header:
            return f"the {kind} film is damaged: a box at byte {offset} gives an impossible size ({length})."
        if offset + length > size:
            return (
                f"the {kind} film is cut short: it holds {size} bytes but its '{_name(box)}' box needs "
                f"{offset + length}; copy it again from where it was made."
            )
        if box == b"moov":
            return None
        offset += length
    if offset == 0:
        return f"this is not {a_kind} film: it holds only {size} bytes, less than any {kind} file's first box."
    return (
        f"the {kind} film has no 'moov' box (the index a player needs to play it): it was not finished when "
        "saved, or was cut short; export it again."
    )


def _starts(head: bytes) -> str:
    """How a file that is not the film it claims to be begins, so the publisher can recognise what it is."""
    sample = head[:12]
    if sample and all(32 <= b < 127 or b in b"\t\r\n" for b in sample):
        return f"starts with the text {sample.decode('ascii').strip()!r}"
    return "starts with bytes " + sample[:8].hex(" ")


def _name(box: bytes) -> str:
    return box.decode("latin-1") if all(32 <= b < 127 for b in box) else box.hex()
