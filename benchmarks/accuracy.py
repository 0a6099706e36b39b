"""How often `define` gives the right answer on queries people really type, and how often a wrong one.

    .venv/bin/python benchmarks/accuracy.py                  # every file in benchmarks/queries/
    .venv/bin/python benchmarks/accuracy.py --queries benchmarks/queries/heldout.tsv   # one file
    .venv/bin/python benchmarks/accuracy.py --show wrong     # list each confident wrong answer
    .venv/bin/python benchmarks/accuracy.py --markdown       # the table for docs/accuracy.md
    .venv/bin/python benchmarks/accuracy.py --strict         # exit 1 on any wrong answer or below 95%

The queries were written by hand (benchmarks/queries/README.md), never generated from the
glossary's names. Each row names the entry it expects, `NOT_FOUND`, `A | B` for a comparison, or
`AMBIGUOUS: A | B` for a shared name. Outcomes:

- correct: the expected answer (for NOT_FOUND: no answer, only suggestions);
- wrong: a confident answer that is not the expected one — the outcome that must stay at zero;
- unsure: no answer, or several readings offered where one was expected ("did you mean");
  `first` counts those whose first suggestion was the expected entry;
- absent: the expected entry is not in the glossary (a vocabulary gap, not a resolver error;
  left out of the correct-rate denominator, but an answer to it still counts as wrong).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from bpoterms import GlossarySpec, load, resolve
from bpoterms.model import Ambiguous, Comparison, Match, NotFound

QUERIES = Path(__file__).resolve().parent / "queries"
OUTCOMES = ("correct", "wrong", "unsure", "absent")


def read_rows(where: Path) -> list[dict[str, str]]:
    """The rows of one .tsv file, or of every .tsv file in a folder."""
    rows = []
    for path in [where] if where.is_file() else sorted(where.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row.get("query") and row.get("expected"):
                    rows.append({k: (v or "").strip() for k, v in row.items()})
    return rows


def grade(glossary, row: dict[str, str]) -> tuple[str, str, bool]:
    """(outcome, what the resolver gave, whether a miss suggested the expected entry first)."""
    expected = row["expected"]
    result = resolve(glossary, row["query"])
    given = describe(result)
    if expected == "NOT_FOUND":
        return ("correct" if isinstance(result, NotFound) else "wrong"), given, False
    if expected.startswith("AMBIGUOUS:"):
        wanted = {name.strip() for name in expected.split(":", 1)[1].split("|")}
        known = {name for name in wanted if glossary.get(name) is not None}
        if not known:
            return ("wrong" if isinstance(result, (Match, Comparison)) else "absent"), given, False
        terms = {m.entry.term for m in result.matches} if isinstance(result, Ambiguous) else set()
        if isinstance(result, Ambiguous) and {glossary.get(n).term for n in known} <= terms:
            return ("correct" if known == wanted else "absent"), given, False
        if isinstance(result, Match) and result.entry.term in {glossary.get(n).term for n in known}:
            return ("absent" if known != wanted else "unsure"), given, False
        return ("wrong" if isinstance(result, (Match, Comparison)) else "unsure"), given, False
    wanted_terms = [name.strip() for name in expected.split("|")]
    entries = [glossary.get(name) for name in wanted_terms]
    if any(e is None for e in entries):
        confident = isinstance(result, (Match, Comparison))
        return ("wrong" if confident else "absent"), given, False
    terms = [e.term for e in entries]
    if len(terms) == 2:
        if isinstance(result, Comparison) and [m.entry.term for m in result.matches] == terms:
            return "correct", given, False
        return ("wrong" if isinstance(result, (Match, Comparison)) else "unsure"), given, False
    if isinstance(result, Match):
        return ("correct" if result.entry.term == terms[0] else "wrong"), given, False
    if isinstance(result, Comparison):
        return "wrong", given, False
    if isinstance(result, Ambiguous):
        return "unsure", given, any(m.entry.term == terms[0] for m in result.matches)
    first = bool(result.suggestions) and result.suggestions[0].entry.term == terms[0]
    return "unsure", given, first


def describe(result) -> str:
    if isinstance(result, Match):
        return f"{result.entry.term} ({result.kind} {result.score:g})"
    if isinstance(result, (Ambiguous, Comparison)):
        kind = "ambiguous" if isinstance(result, Ambiguous) else "comparison"
        return f"{kind}: " + " | ".join(m.entry.term for m in result.matches)
    top = ", ".join(f"{s.entry.term} {s.score:g}" for s in result.suggestions[:3])
    return f"not found (did you mean: {top})" if top else "not found"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--show", choices=("wrong", "unsure", "absent", "all"), action="append", default=[])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    rows = read_rows(args.queries)
    if not rows:
        print(f"no queries in {args.queries}", file=sys.stderr)
        return 2
    glossary = load(GlossarySpec((), include_builtin=True))
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    lines = []
    for row in rows:
        outcome, given, first = grade(glossary, row)
        for key in (row.get("kind") or "?", "ALL"):
            by_kind[key][outcome] += 1
            by_kind[key]["first"] += first
        if outcome in args.show or "all" in args.show:
            kind = row.get("kind", "")
            lines.append(f"{outcome:8} {kind:14} {row['query']!r} → {given}   [expected {row['expected']}]")
    print(table(by_kind, args.markdown))
    total = by_kind["ALL"]
    present = total["correct"] + total["wrong"] + total["unsure"]
    rate = total["correct"] / present if present else 0.0
    print(
        f"\n{len(rows)} queries, {len(glossary)} entries: "
        f"correct {total['correct']} of {present} with the entry present ({rate:.1%}), "
        f"wrong {total['wrong']}, unsure {total['unsure']} (expected entry suggested first in {total['first']}), "
        f"absent {total['absent']}"
    )
    if lines:
        print()
        print("\n".join(lines))
    return 1 if args.strict and (total["wrong"] or rate < 0.95) else 0


def table(by_kind: dict[str, Counter[str]], markdown: bool) -> str:
    kinds = [*sorted(k for k in by_kind if k != "ALL"), "ALL"]
    header = ("kind", "queries", *OUTCOMES, "first", "correct %")
    rows = []
    for kind in kinds:
        c = by_kind[kind]
        n = sum(c[o] for o in OUTCOMES)
        present = c["correct"] + c["wrong"] + c["unsure"]
        pct = f"{100 * c['correct'] / present:.1f}" if present else "-"
        rows.append((kind, str(n), *(str(c[o]) for o in OUTCOMES), str(c["first"]), pct))
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    return "\n".join("  ".join(str(x).rjust(w) for x, w in zip(r, widths, strict=True)) for r in (header, *rows))


if __name__ == "__main__":
    sys.exit(main())
