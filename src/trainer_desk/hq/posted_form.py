"""Reading a posted form without letting a stranger make HQ hold an unbounded body in memory.

Starlette parses a urlencoded form whole, however long, before any check of ours runs; and the public phone
form and the console's sign-in form are open to anyone who can reach them. So a plain form is read here up
to a cap (declared length and bytes actually sent alike) and refused with 413 past it. A multipart form is
read only where a page uploads a file (the console's roster and content, reached only once signed in), and
then one file, streamed to disk, with the cap on its text fields that Starlette applies per part; anywhere
else it is refused unread, so nobody can make HQ hold a thousand files it never asked for.
"""

# No `from __future__ import annotations`: the console's modules follow FastAPI's rule for annotations.
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request
from starlette.datastructures import FormData, UploadFile

PLAIN_FORM_BYTES = 64 * 1024  # the longest console form (a FAQ answer) is a few kilobytes
MAX_FIELDS = 200
MAX_TEXT_PART = 64 * 1024
MAX_FILES = 1  # every upload form sends one file


def is_upload(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("multipart/form-data")


async def read(request: Request, limit: int = PLAIN_FORM_BYTES, upload: bool = False) -> FormData:
    """The form posted with `request`; raises HTTPException 413 when a plain form is longer than `limit`, and
    415 for a multipart form unless this is a page that takes an `upload`."""
    if is_upload(request):
        if not upload:
            raise HTTPException(status_code=415, detail="This form takes no files.")
        return await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS, max_part_size=MAX_TEXT_PART)
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > limit):
        raise HTTPException(status_code=413, detail="That form is far longer than any this page sends.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(status_code=413, detail="That form is far longer than any this page sends.")
    try:
        fields: list[tuple[str, str | UploadFile]] = []
        fields += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise HTTPException(status_code=400, detail="That form has more fields than any this page sends.") from None
    return FormData(fields)
