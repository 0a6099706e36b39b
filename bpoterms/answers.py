"""Answers printed in advance: what `define` prints for each name of a glossary, read without imports.

A person asks for the same few names dozens of times a day, and on the full route a lookup pays
for importing the model, the matching stack, `json` and `re` (about 20 ms after Python's own
start-up, `python -X importtime`) before it prints anything. So after a full-route `define`, the
output of `define --json` and of plain `define` for every term, acronym and alias, as people type
them, is produced once by the real command (`commands.run_define`) and stored in this file; the
fast route (`fastpath.py`) then answers those exact queries with `os`, `marshal` and three reads.
Nothing here decides an answer: a query that is not stored word for word goes the full route.

A file is used only for the inputs it was made for (version, options, the environment that chose
the glossary files) and while every file and folder that choice consulted has the stat it had
then; one changed stat and the file is rebuilt by the next full-route `define`. A file another
user owns is never read.

Layout: MAGIC; the header's length (8 bytes, little-endian); marshal(header); a table of 12-byte
slots (offset: 8 bytes, length: 4), one a bucket; buckets, each marshal({query: record}); texts,
UTF-8, each stored once. Stdlib only, without `typing` or `pathlib`: it is on the start-up path.
"""

from __future__ import annotations

import marshal
import os

MAGIC = b"bpoterms-answers-2\n"
SLOT = 12
STALE, MISS, HIT = 0, 1, 2  # no usable file (rebuild it) / a usable file without this query / an answer
# Record: (exit code, JSON text: offset, length, then a tail of its own; plain text: offset, length).
Record = tuple[int, int, int, str, int, int]
Stat = tuple[int, int, int, int, int] | None


def key_hash(text: str) -> int:
    """FNV-1a (64 bits) of the UTF-8 text: stable across runs, unlike `hash()`; names the file of a
    configuration (`file_name`)."""
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8", "surrogatepass"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def bucket_count(answers: int) -> int:
    """About four answers a bucket, and an odd count: `bucket_of` spreads names over it by every
    byte. Modulo an even count, the little-endian integer's low bits, the name's first bytes, pick
    the bucket, and names sharing a beginning pile up (1,024 buckets: some 10,000 names in 193 of
    them, up to 444 in one, each read whole on a lookup)."""
    return (answers // 4) | 1 if answers else 0


def bucket_of(query: str, buckets: int) -> int:
    """The bucket a query is filed in: its UTF-8 bytes read as one integer, modulo the (odd, see
    `bucket_count`) bucket count. Stable across runs, like `key_hash`, and a C call rather than a
    loop over the bytes: writing a file files some 7,000 names, where FNV-1a took 16 ms."""
    return int.from_bytes(query.encode("utf-8", "surrogatepass"), "little") % buckets


def file_name(inputs: str) -> str:
    return f"answers-{key_hash(inputs):016x}.bin"


def stat_of(path: str) -> Stat:
    """What shows a file or folder changed without reading it (None: it is missing or unreadable)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def read(path: str, inputs: str, query: str, json_out: bool) -> tuple[int, int, str]:
    """(HIT, exit code, text) for a stored query; (MISS, 0, "") or (STALE, 0, "") otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except (OSError, ValueError):
        return STALE, 0, ""
    try:
        return _read(fd, inputs, query, json_out)
    except (OSError, ValueError, TypeError, EOFError, IndexError, UnicodeDecodeError):
        return STALE, 0, ""  # a damaged or truncated file: the full route answers and rewrites it
    finally:
        os.close(fd)


def _read(fd: int, inputs: str, query: str, json_out: bool) -> tuple[int, int, str]:
    info = os.fstat(fd)
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and info.st_uid != geteuid():
        return STALE, 0, ""
    head = os.pread(fd, 1 << 16, 0)
    if not head.startswith(MAGIC):
        return STALE, 0, ""
    start = len(MAGIC) + 8
    length = int.from_bytes(head[len(MAGIC) : start], "little")
    raw = head[start : start + length] if start + length <= len(head) else os.pread(fd, length, start)
    saved_inputs, checks, buckets, table, texts_at, size = marshal.loads(raw)
    if saved_inputs != inputs or info.st_size != size:  # another configuration's, or cut short
        return STALE, 0, ""
    for checked_path, saved in checks:
        if stat_of(checked_path) != saved:
            return STALE, 0, ""
    if not buckets:
        return MISS, 0, ""
    slot = os.pread(fd, SLOT, table + SLOT * bucket_of(query, buckets))
    length = int.from_bytes(slot[8:], "little")
    record = marshal.loads(os.pread(fd, length, int.from_bytes(slot[:8], "little"))).get(query) if length else None
    if record is None:
        return MISS, 0, ""
    code, json_at, json_size, json_tail, plain_at, plain_size = record
    if json_out:
        return HIT, code, os.pread(fd, json_size, texts_at + json_at).decode("utf-8") + json_tail
    return HIT, code, os.pread(fd, plain_size, texts_at + plain_at).decode("utf-8")


def write(
    path: str, inputs: str, checks: list[tuple[str, Stat]], answers: dict[str, tuple[int, str, str, str]]
) -> None:
    """Store `answers` (query → exit code, JSON head, JSON tail, plain text) atomically at `path`.

    JSON heads and plain texts repeat across the names of one entry, so each distinct text is
    stored once and records point at it (offsets from the start of the texts).
    """
    from pathlib import Path

    from .atomic import replace_atomically

    buckets = bucket_count(len(answers))
    texts: dict[str, tuple[int, int]] = {}
    blob = bytearray()

    def place(text: str) -> tuple[int, int]:
        if text not in texts:
            data = text.encode("utf-8")
            texts[text] = (len(blob), len(data))
            blob.extend(data)
        return texts[text]

    grouped: list[dict[str, Record]] = [{} for _ in range(buckets)]
    for query, (code, json_head, json_tail, plain) in answers.items():
        json_at, json_size = place(json_head)
        plain_at, plain_size = place(plain)
        grouped[bucket_of(query, buckets)][query] = (code, json_at, json_size, json_tail, plain_at, plain_size)
    bucket_blobs = [marshal.dumps(bucket) if bucket else b"" for bucket in grouped]

    def header(table: int, texts_at: int, size: int) -> bytes:
        raw = marshal.dumps((inputs, tuple(checks), buckets, table, texts_at, size))
        return MAGIC + len(raw).to_bytes(8, "little") + raw

    # marshal writes every int below 2**31 in 5 bytes, so a placeholder header has the real one's length.
    table = len(header(0, 0, 0))
    at = table + SLOT * buckets
    slots = bytearray()
    for bucket_blob in bucket_blobs:
        slots += at.to_bytes(8, "little") + len(bucket_blob).to_bytes(4, "little")
        at += len(bucket_blob)
    if at + len(blob) >= 1 << 31:
        return  # too big to be worth it; the full route answers
    head = header(table, at, at + len(blob))
    if len(head) != table:
        return

    def fill(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            handle.write(head)
            handle.write(slots)
            handle.writelines(bucket_blobs)
            handle.write(blob)

    replace_atomically(Path(path), fill)
