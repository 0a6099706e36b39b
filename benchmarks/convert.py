"""Convert a bpoterms glossary to the formats of two classic dictionary programs, for `run.py --peers`.

    python benchmarks/convert.py glossary.yaml --dictd out/peers/bpoterms --stardict out/peers/stardict/bpoterms

dictd: the entries are written in dictfmt's `-c5` input format (a line of underscores, the
headwords, the text) and `dictfmt` (Debian package dictfmt) builds `NAME.index` and `NAME.dict`.
StarDict: a small writer of its own (`.ifo`, `.idx`, `.dict`, `.syn`; format 2.4.2 with
`sametypesequence=m`), read by `sdcv`. Every name of an entry (term, acronym, aliases) is a
headword in both, so the peers answer the same queries bpoterms does, minus its fuzzy layers.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADWORD_SEPARATOR = "%%%"


@dataclass(frozen=True)
class Record:
    names: tuple[str, ...]  # the term first, then acronym and aliases
    text: str


def read_records(path: Path) -> list[Record]:
    """The entries of a bpoterms YAML file (the `terms:` list, or a bare list) as headwords and text."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as f:
        data: Any = yaml.load(f, Loader=loader)  # a safe loader: no tag builds objects
    terms = data.get("terms", []) if isinstance(data, dict) else data
    records = []
    for raw in terms or []:
        if not isinstance(raw, dict) or not raw.get("term") or not raw.get("definition"):
            continue
        term, acronym = str(raw["term"]).strip(), raw.get("acronym")
        names = [term, *([str(acronym)] if acronym else []), *(str(a) for a in raw.get("aliases") or [])]
        lines = [f"{term} ({acronym})" if acronym else term, "", str(raw["definition"]).strip()]
        if raw.get("formula"):
            lines += ["", f"Formula: {raw['formula']}"]
        if raw.get("see_also"):
            lines += ["", "See also: " + ", ".join(str(s) for s in raw["see_also"])]
        lines += ["", f"Category: {raw.get('category') or 'uncategorized'}"]
        records.append(Record(tuple(dict.fromkeys(names)), "\n".join(lines)))
    return records


# ---------------------------------------------------------------- dictd


def write_dictd(records: Iterable[Record], basename: Path, title: str) -> tuple[Path, Path]:
    """`basename.index` and `basename.dict` via dictfmt; raises FileNotFoundError without dictfmt."""
    dictfmt = shutil.which("dictfmt")
    if dictfmt is None:
        raise FileNotFoundError("dictfmt is not installed (Debian package dictfmt)")
    chunks = []
    for record in records:
        names = (name.replace(HEADWORD_SEPARATOR, " ").replace("\n", " ") for name in record.names)
        chunks.append(f"_____\n\n{HEADWORD_SEPARATOR.join(names)}\n{record.text}\n")
    basename.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            dictfmt,
            "-c5",
            "--utf8",
            "--quiet",
            "--headword-separator",
            HEADWORD_SEPARATOR,
            "--break-headwords",
            "--without-time",
            "-s",
            title,
            "-u",
            "bpoterms benchmarks",
            str(basename),
        ],
        input="".join(chunks).encode("utf-8"),
        check=True,
    )
    return basename.with_suffix(".index"), basename.with_suffix(".dict")


# ---------------------------------------------------------------- StarDict


def stardict_key(word: bytes) -> tuple[bytes, bytes]:
    """StarDict's order: ASCII-case-insensitive bytes (g_ascii_strcasecmp), then plain bytes."""
    return word.lower(), word


def write_stardict(records: list[Record], basename: Path, title: str) -> Path:
    """`basename.{ifo,idx,dict,syn}`: one .idx headword per entry (its term), aliases in .syn."""
    basename.parent.mkdir(parents=True, exist_ok=True)
    data = bytearray()
    placed: list[tuple[bytes, int, int, Record]] = []
    for record in records:
        text = record.text.encode("utf-8")
        placed.append((record.names[0].encode("utf-8"), len(data), len(text), record))
        data += text
    placed.sort(key=lambda item: stardict_key(item[0]))
    idx = bytearray()
    synonyms: list[tuple[bytes, int]] = []
    for position, (word, offset, size, record) in enumerate(placed):
        idx += word + b"\0" + struct.pack(">II", offset, size)
        synonyms += [(name.encode("utf-8"), position) for name in record.names[1:]]
    synonyms.sort(key=lambda item: stardict_key(item[0]))
    syn = b"".join(word + b"\0" + struct.pack(">I", position) for word, position in synonyms)
    basename.with_suffix(".dict").write_bytes(bytes(data))
    basename.with_suffix(".idx").write_bytes(bytes(idx))
    basename.with_suffix(".syn").write_bytes(syn)
    ifo = basename.with_suffix(".ifo")
    ifo.write_text(
        "StarDict's dict ifo file\nversion=2.4.2\n"
        f"wordcount={len(placed)}\nsynwordcount={len(synonyms)}\nidxfilesize={len(idx)}\n"
        f"bookname={title}\ndescription=Converted from a bpoterms glossary by benchmarks/convert.py\n"
        "sametypesequence=m\n",
        encoding="utf-8",
    )
    return ifo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("glossary", type=Path, help="a bpoterms YAML glossary")
    parser.add_argument("--dictd", type=Path, metavar="BASENAME", help="write BASENAME.index and BASENAME.dict")
    parser.add_argument("--stardict", type=Path, metavar="BASENAME", help="write BASENAME.ifo/.idx/.dict/.syn")
    parser.add_argument("--title", default="bpoterms", help="dictionary name (default bpoterms)")
    args = parser.parse_args(argv)
    if not (args.dictd or args.stardict):
        parser.error("give --dictd and/or --stardict")
    records = read_records(args.glossary)
    if args.dictd:
        try:
            write_dictd(records, args.dictd, args.title)
        except FileNotFoundError as exc:
            sys.stderr.write(f"convert: {exc}\n")
            return 2
    if args.stardict:
        write_stardict(records, args.stardict, args.title)
    sys.stdout.write(f"{len(records)} entries converted\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
