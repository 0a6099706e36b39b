"""Misspellings on a large general dictionary: bpoterms against `sdcv` and `dict -s lev`, same data, one run.

    .venv/bin/python benchmarks/foldoc.py              # 2,000 misspellings, all three tools
    .venv/bin/python benchmarks/foldoc.py --quick      # 300
    .venv/bin/python benchmarks/foldoc.py --markdown   # the tables as Markdown, for docs/
    .venv/bin/python benchmarks/foldoc.py --no-peers --show wrong   # bpoterms only, list its wrong answers

The dictionary is FOLDOC, the Free On-line Dictionary of Computing, from Debian's `dict-foldoc`
package (dictd format under /usr/share/dictd). Missing packages (dict-foldoc, sdcv, dictd, dict,
dictfmt) are installed with apt-get, as root or through `sudo -n`; `--no-install` forbids it.

Every FOLDOC entry becomes one glossary entry (benchmarks/out/foldoc.yaml): its first headword
is the `term`, its other headwords are `aliases`, the text is the `definition`. Nothing is
dropped — C, C#, C++, .NET and every name several entries share (homonyms) are kept — and the run
stops unless bpoterms loads exactly as many entries, with exactly the same names. sdcv and dictd
read the same file through convert.py, in a temporary folder; the dictd server is started on
127.0.0.1 by peers.py and stopped at the end.

Queries: misspell.py makes one slip in a randomly drawn headword (the first headword of an entry,
at least 4 characters) with a fixed seed; the kinds take turns. A slip that is exactly some
entry's name is not a misspelling and is drawn again.

What counts, for every tool (an answer is identified by the entry's term; a homonym's readings
share it):

- an *answer* is what the tool gives as the definition:
  - bpoterms (`resolve`, in-process): a Match, a Comparison (its two entries), or an Ambiguous
    (every reading);
  - sdcv: an entry printed by `sdcv -n -e` (exact search). sdcv prints "Found N items, similar
    to QUERY." for exact and fuzzy hits alike, so its own output cannot tell a sure answer from a
    guess; the exact search can. Without `-e`, a miss falls through to the fuzzy search
    (`sdcv -n -j`), whose first word is sdcv's suggestion;
  - dict: a definition from `dict -d DB QUERY` (dictd's exact DEFINE, case and punctuation
    folded); otherwise `dict -d DB -s lev -m QUERY` lists headwords at Levenshtein distance 1, in
    index (alphabetical) order, and the first of them is the suggestion (a headword several
    entries share suggests all of them).
- right: the answer names the intended entry only; wrong (confident-wrong): the answer does not
  include the intended entry, or is a Comparison; an answer mixing the intended entry and others
  (an Ambiguous, several dictd definitions) counts as neither. Term names are compared the way the
  tools compare names: case ignored, a hyphen read as a space — FOLDOC has separate entries
  `SPOOL`, `Spool` and `spool`, and no tool can tell which one a typo of them meant.
- suggested first: no answer, but the first suggestion is the intended entry;
- top-1: the first entry shown is the intended one (right + suggested first) — for sdcv and dict,
  which almost never give an exact answer to a misspelling, this is their first fuzzy match.

The issue's target for bpoterms is on `right` (a confident correct answer): right ≥ 93%, wrong ≤
0.5%, and right above both peers' top-1.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from convert import Record, read_records, write_dictd, write_stardict
from misspell import KINDS, Query, generate, name_key
from peers import _start_dictd, _stop

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SEED = 20240610
QUERIES, QUICK_QUERIES = 2000, 300
DICTD_SHARE = Path("/usr/share/dictd")
PACKAGES = {"dict-foldoc": None, "sdcv": "sdcv", "dictd": "dictd", "dict": "dict", "dictfmt": "dictfmt"}
SBIN = "/usr/local/sbin:/usr/sbin:/sbin"
OUTCOMES = ("right", "wrong", "mixed", "suggested", "miss")
TOOLS = ("bpoterms", "sdcv", "dict -s lev")
_B64 = {ch: i for i, ch in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def _say(message: str) -> None:
    sys.stderr.write(f"foldoc: {message}\n")
    sys.stderr.flush()


# ---------------------------------------------------------------- installing


def _which(tool: str) -> str | None:
    return shutil.which(tool, path=os.environ.get("PATH", "") + os.pathsep + SBIN)


def foldoc_files() -> tuple[Path, Path] | None:
    """FOLDOC's dictd index and data (`.dict.dz` or `.dict`), when the package is installed."""
    index = DICTD_SHARE / "foldoc.index"
    for data in (DICTD_SHARE / "foldoc.dict.dz", DICTD_SHARE / "foldoc.dict"):
        if index.is_file() and data.is_file():
            return index, data
    return None


def ensure_installed(peers: bool, allowed: bool) -> None:
    """apt-get install the missing Debian packages; raises SystemExit when they cannot be had."""
    missing = [] if foldoc_files() else ["dict-foldoc"]
    if peers:
        missing += [package for package, tool in PACKAGES.items() if tool and _which(tool) is None]
    if not missing:
        return
    if not allowed:
        raise SystemExit(f"foldoc: missing Debian packages {' '.join(missing)} (and --no-install was given)")
    if _which("apt-get") is None:
        raise SystemExit(f"foldoc: missing {' '.join(missing)} and there is no apt-get to install them")
    sudo: list[str] = []
    if os.geteuid() != 0:
        if _which("sudo") is None:
            raise SystemExit(f"foldoc: missing {' '.join(missing)}; run as root to install them")
        sudo = ["sudo", "-n", "env", "DEBIAN_FRONTEND=noninteractive"]
    _say(f"installing {' '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        done = subprocess.run([*sudo, *command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise SystemExit(f"foldoc: {' '.join(command)} failed:\n{done.stderr.decode(errors='replace')}")
    if not foldoc_files():
        raise SystemExit(f"foldoc: dict-foldoc installed but {DICTD_SHARE}/foldoc.index is not there")


# ---------------------------------------------------------------- FOLDOC → glossary


def _b64(text: str) -> int:
    value = 0
    for ch in text:
        value = value * 64 + _B64[ch]
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


def read_foldoc(index: Path, data: Path) -> list[Record]:
    """FOLDOC's entries: every headword (case as printed in the entry), then the text.

    The dictd index lists each headword in lower case with the offset and length of its entry;
    the entry opens with its headwords, one a line (a long one may be wrapped), then a blank
    line and the text. The `00-database-*` records are the database's own metadata.
    """
    raw = gzip.decompress(data.read_bytes()) if data.suffix == ".dz" else data.read_bytes()
    by_place: dict[tuple[int, int], list[str]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.rsplit("\t", 2)
        if not headword.startswith("00-database-"):
            by_place.setdefault((_b64(offset), _b64(length)), []).append(headword)
    records = []
    for (offset, length), indexed in sorted(by_place.items()):
        text = raw[offset : offset + length].decode("utf-8")
        head, _, body = text.partition("\n\n")
        wanted = Counter(_one_line(h) for h in indexed)
        names: list[str] = []
        lines = [_one_line(line) for line in head.split("\n")]
        i = 0
        while i < len(lines):  # each headword line, or a run of lines that is one wrapped headword
            for j in range(i + 1, len(lines) + 1):
                candidate = " ".join(lines[i:j])
                if wanted[candidate.lower()] > 0:
                    wanted[candidate.lower()] -= 1
                    names.append(candidate)
                    i = j
                    break
            else:
                i += 1
        names += list(wanted.elements())  # an indexed headword the text does not print: keep it as indexed
        definition = _one_line(body) or names[0]
        records.append(Record(tuple(names), definition))
    return records


def write_glossary(records: Sequence[Record], path: Path) -> None:
    """The entries in bpoterms' YAML format: the first headword is the term, the others aliases."""
    import yaml

    terms = []
    for record in records:
        entry: dict[str, object] = {"term": record.names[0]}
        if len(record.names) > 1:
            entry["aliases"] = list(record.names[1:])
        entry["definition"] = record.text
        terms.append(entry)
    document = {
        "schema": 1,
        "title": "FOLDOC, the Free On-line Dictionary of Computing (Debian dict-foldoc), for benchmarks/foldoc.py",
        "terms": terms,
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(document, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    path.write_text(text, encoding="utf-8")


def check_loaded(glossary: object, records: Sequence[Record]) -> list[str]:
    """Differences between what bpoterms loaded and FOLDOC's entries and headwords (empty: none)."""
    entries = glossary.entries  # type: ignore[attr-defined]
    problems = []
    if len(glossary) != len(records):  # type: ignore[arg-type]
        problems.append(f"bpoterms loaded {len(glossary):,} entries, FOLDOC has {len(records):,}")  # type: ignore[arg-type]
    loaded = Counter((e.term, name) for e in entries for name in dict.fromkeys(e.names()))
    wanted = Counter((r.names[0], name) for r in records for name in dict.fromkeys(r.names))
    if loaded != wanted:
        lost, extra = wanted - loaded, loaded - wanted
        problems.append(f"headwords lost: {sum(lost.values())} (e.g. {list(lost)[:5]}), added: {sum(extra.values())}")
    return problems


# ---------------------------------------------------------------- the tools


class Answer(NamedTuple):
    """What a tool gave: the terms of its answer (empty: none) and of its first suggestion."""

    answer: tuple[str, ...]
    first: tuple[str, ...]
    detail: str  # for --show
    ms: float = 0.0  # how long the tool took (wall clock; for the peers, their processes)


def timed(tool: Callable[[str], Answer], query: str) -> Answer:
    started = time.perf_counter()
    answer = tool(query)
    return answer._replace(ms=(time.perf_counter() - started) * 1000)


def same_name(a: str, b: str) -> bool:
    """Two term names as all three tools compare names: case ignored, a hyphen read as a space."""
    return a.casefold().replace("-", " ").split() == b.casefold().replace("-", " ").split()


def grade(result: Answer, intended: str) -> str:
    """right, wrong, mixed (an answer with the intended entry among others), suggested (first) or miss."""
    if result.answer:
        hits = [same_name(term, intended) for term in result.answer]
        if all(hits):
            return "right"
        return "wrong" if not any(hits) or result.detail.startswith("Comparison") else "mixed"
    return "suggested" if any(same_name(term, intended) for term in result.first) else "miss"


def bpoterms_answer(glossary: object, query: str) -> Answer:
    from bpoterms import resolve
    from bpoterms.model import Ambiguous, Comparison, Match

    found = resolve(glossary, query)  # type: ignore[arg-type]
    if isinstance(found, Match):
        return Answer((found.entry.term,), (), f"Match {found.kind} {found.score:g}: {found.entry.term}")
    if isinstance(found, (Ambiguous, Comparison)):
        terms = tuple(m.entry.term for m in found.matches)
        return Answer(terms, (), f"{type(found).__name__}: {' | '.join(terms)}")
    shown = ", ".join(f"{s.entry.term} ({s.score:g})" for s in found.suggestions[:3])
    first = (found.suggestions[0].entry.term,) if found.suggestions else ()
    return Answer((), first, f"NotFound; did you mean {shown or 'nothing'}")


def _first_line(definition: str) -> str:
    return next((line.strip() for line in definition.splitlines() if line.strip()), "")


def sdcv_answer(folder: Path, query: str) -> Answer:
    base = ["sdcv", "-n", "-x", "-0", "-1", "-j", "-2", str(folder)]
    for exact in (True, False):
        done = subprocess.run([*base, *(["-e"] if exact else []), "--", query], capture_output=True, timeout=60)
        try:
            hits = json.loads(done.stdout.decode("utf-8", errors="replace") or "[]")
        except json.JSONDecodeError:
            hits = []
        if hits:
            terms = tuple(dict.fromkeys(_first_line(hit["definition"]) for hit in hits))
            words = ", ".join(hit["word"] for hit in hits[:3])
            if exact:
                return Answer(terms, (), f"exact: {words}")
            return Answer((), terms[:1], f"fuzzy: {words}")
    return Answer((), (), "nothing similar")


def dictd_terms(index: Path, data: Path) -> dict[str, tuple[str, ...]]:
    """dictd's index headword (lower case, punctuation folded) → the terms of the entries it leads to."""
    raw = data.read_bytes()
    owners: dict[str, list[str]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.rsplit("\t", 2)
        text = raw[_b64(offset) : _b64(offset) + _b64(length)].decode("utf-8", errors="replace")
        owners.setdefault(headword, []).append(_first_line(text))
    return {headword: tuple(dict.fromkeys(terms)) for headword, terms in owners.items()}


def dict_answer(port: int, owners: dict[str, tuple[str, ...]], query: str) -> Answer:
    base = ["dict", "-h", "127.0.0.1", "-p", str(port), "-d", "bpoterms", "-f"]
    done = subprocess.run([*base, "--", query], capture_output=True, timeout=60)
    if done.returncode == 0:  # definitions: a header line (host, port, db, name), then the text indented
        lines = done.stdout.decode("utf-8", errors="replace").splitlines()
        terms = tuple(
            dict.fromkeys(lines[i + 1].strip() for i, line in enumerate(lines[:-1]) if line.startswith("127.0.0.1\t"))
        )
        return Answer(terms, (), f"define: {' | '.join(terms)}")
    done = subprocess.run([*base, "-s", "lev", "-m", "--", query], capture_output=True, timeout=60)
    words = [
        line.split("\t")[3]
        for line in done.stdout.decode("utf-8", errors="replace").splitlines()
        if line.count("\t") >= 3
    ]
    if not words:
        return Answer((), (), "no lev match")
    return Answer((), owners.get(words[0], (words[0],)), f"lev: {', '.join(words[:3])}")


# ---------------------------------------------------------------- the run


def resolver_version() -> str:
    """Which resolver was measured: the commit, and whether bpoterms/ differs from it."""
    root = HERE.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "bpoterms"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "resolver: not in a git checkout"
    changed = [line[3:] for line in dirty.splitlines()]
    return f"resolver: git {head}, " + (
        f"uncommitted changes in {', '.join(changed)}" if changed else "bpoterms/ clean"
    )


class Run(NamedTuple):
    queries: list[Query]
    results: dict[str, list[Answer]]  # tool → one Answer per query
    notes: list[str]


def run_peers(glossary_file: Path, queries: list[Query], jobs: int, notes: list[str]) -> dict[str, list[Answer]]:
    records = read_records(glossary_file)
    results: dict[str, list[Answer]] = {}
    with tempfile.TemporaryDirectory(prefix="bpoterms-foldoc-") as temp:
        folder = Path(temp)
        folder.chmod(0o755)  # dictd drops root privileges and must still read its files
        stardict = folder / "stardict"
        write_stardict(records, stardict / "foldoc", "foldoc")
        texts = [q.text for q in queries]
        _say(f"sdcv: {len(texts)} queries")
        with ThreadPoolExecutor(jobs) as pool:
            results["sdcv"] = list(pool.map(lambda text: timed(lambda q: sdcv_answer(stardict, q), text), texts))
        dictd = folder / "dictd"
        index, data = write_dictd(records, dictd / "foldoc", "foldoc")
        dictd.chmod(0o755)
        server = _start_dictd(folder, index, data)
        if server is None:
            notes.append("dict: the dictd server did not start; skipped")
            return results
        process, port = server
        try:
            owners = dictd_terms(index, data)
            _say(f"dict: {len(texts)} queries (dictd on 127.0.0.1:{port})")
            with ThreadPoolExecutor(jobs) as pool:
                results["dict -s lev"] = list(
                    pool.map(lambda text: timed(lambda q: dict_answer(port, owners, q), text), texts)
                )
        finally:
            _stop(process)
    return results


def measure(count: int, seed: int, peers: bool, install: bool, jobs: int) -> Run:
    ensure_installed(peers, install)
    files = foldoc_files()
    assert files is not None
    records = read_foldoc(*files)
    glossary_file = OUT / "foldoc.yaml"
    write_glossary(records, glossary_file)
    headwords = sum(len(r.names) for r in records)
    notes = [
        f"FOLDOC ({files[0].parent}): {len(records):,} entries, {headwords:,} headwords → {glossary_file}",
        resolver_version(),
    ]
    _say(notes[0])

    from bpoterms import GlossarySpec, load

    started = time.perf_counter()
    glossary = load(GlossarySpec((glossary_file,), include_builtin=False))
    notes.append(f"bpoterms: loaded in {time.perf_counter() - started:.1f} s (no cache)")
    problems = check_loaded(glossary, records)
    if problems:
        raise SystemExit("foldoc: bpoterms did not load FOLDOC whole:\n  " + "\n  ".join(problems))
    notes.append(f"bpoterms: loaded all {len(glossary):,} entries and {headwords:,} headwords, nothing dropped")

    taken = {name_key(name) for r in records for name in r.names}
    queries, rejected = generate([r.names[0] for r in records], count, seed, taken)
    notes.append(
        f"{len(queries):,} misspellings, seed {seed}; drawn again because the slip was exactly a "
        f"headword or a repeat: {sum(rejected.values())}"
        + (f" ({', '.join(f'{k} {v}' for k, v in rejected.items())})" if rejected else "")
    )

    _say(f"bpoterms: {len(queries)} queries in-process")
    bpoterms_answer(glossary, "warm up the fuzzy scorer")
    results = {"bpoterms": [timed(lambda q: bpoterms_answer(glossary, q), query.text) for query in queries]}
    if peers:
        results.update(run_peers(glossary_file, queries, jobs, notes))
    return Run(queries, results, notes)


# ---------------------------------------------------------------- reporting


def tally(run: Run) -> dict[tuple[str, str], Counter[str]]:
    """(tool, kind or "all") → outcome counts."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    for tool, answers in run.results.items():
        for query, answer in zip(run.queries, answers, strict=True):
            outcome = grade(answer, query.intended)
            for kind in ("all", query.kind):
                counts.setdefault((tool, kind), Counter())[outcome] += 1
    return counts


HEADERS = ("Misspelling", "Tool", "Queries", "Right %", "Confident-wrong %", "Suggested first %", "Top-1 %")


def rows(run: Run) -> list[list[str]]:
    counts = tally(run)
    table = []
    for kind in ("all", *KINDS):
        for tool in TOOLS:
            c = counts.get((tool, kind))
            if not c:
                continue
            n = sum(c.values())

            def pct(value: int, n: int = n) -> str:
                return f"{100.0 * value / n:.1f}"

            label = "all kinds" if kind == "all" else kind
            table.append(
                [
                    label,
                    tool,
                    f"{n:,}",
                    pct(c["right"]),
                    pct(c["wrong"]),
                    pct(c["suggested"]),
                    pct(c["right"] + c["suggested"]),
                ]
            )
    return table


def render(headers: Sequence[str], table: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = [
            "| " + " | ".join(headers) + " |",
            "|" + "|".join("---" if i < 2 else "---:" for i in range(len(headers))) + "|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in table]
        return "\n".join(lines)
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(row) for row in table)])


def verdict(run: Run) -> list[str]:
    counts = tally(run)
    mine = counts[("bpoterms", "all")]
    n = sum(mine.values())
    right, wrong = 100.0 * mine["right"] / n, 100.0 * mine["wrong"] / n
    peers = {
        tool: 100.0 * (c["right"] + c["suggested"]) / sum(c.values())
        for (tool, kind), c in counts.items()
        if kind == "all" and tool != "bpoterms"
    }
    checks = [
        f"right {right:.1f}% ≥ 93%: {'yes' if right >= 93.0 else 'NO'}",
        f"confident-wrong {wrong:.2f}% ≤ 0.5%: {'yes' if wrong <= 0.5 else 'NO'}",
    ]
    checks += [
        f"right above {tool}'s top-1 {top:.1f}%: {'yes' if right > top else 'NO'}" for tool, top in peers.items()
    ]
    return ["Target (issue 10): " + "; ".join(checks)]


def show(run: Run, tool: str, outcomes: set[str]) -> list[str]:
    lines = []
    for query, answer in zip(run.queries, run.results[tool], strict=True):
        outcome = grade(answer, query.intended)
        if outcome in outcomes:
            lines.append(f"{outcome:9} {query.kind:13} {query.text!r} (from {query.intended!r}) → {answer.detail}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_QUERIES} queries instead of {QUERIES}")
    parser.add_argument("--queries", type=int, metavar="N", help="this many queries")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--no-peers", action="store_true", help="bpoterms only (no sdcv, no dictd)")
    parser.add_argument("--no-install", action="store_true", help="never run apt-get; fail when packages are missing")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument(
        "--show",
        action="append",
        choices=OUTCOMES,
        default=[],
        metavar="OUTCOME",
        help=f"list the queries with this outcome ({', '.join(OUTCOMES)}); repeatable",
    )
    parser.add_argument("--show-tool", choices=TOOLS, default="bpoterms", help="whose outcomes --show lists")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 4, help="peer processes run at once")
    args = parser.parse_args(argv)
    count = args.queries or (QUICK_QUERIES if args.quick else QUERIES)
    run = measure(count, args.seed, not args.no_peers, not args.no_install, max(1, args.jobs))
    out = [render(HEADERS, rows(run), args.markdown), ""]
    for tool, answers in run.results.items():
        times = sorted(answer.ms for answer in answers)
        how = "resolve() in-process" if tool == "bpoterms" else f"its processes, {args.jobs} queries at a time"
        out.append(
            f"{tool} time a query ({how}): median {statistics.median(times):.2f} ms, "
            f"p90 {times[int(0.9 * (len(times) - 1))]:.2f} ms, max {times[-1]:.1f} ms"
        )
    out += verdict(run)
    out += run.notes
    bullet = "- " if args.markdown else ""
    sys.stdout.write(out[0] + "\n\n" + "\n".join(bullet + line for line in out[2:]) + "\n")
    if args.show and args.show_tool in run.results:
        sys.stdout.write("\n" + "\n".join(show(run, args.show_tool, set(args.show))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
