"""How long `explain` takes over a 1 MB text: the annotated corpus repeated, timed in-process.

A benchmark, not a test: it prints the numbers and asserts nothing, but exits 1 when the median
run exceeds the budget (1 s), so CI or a developer can use it as a gate.

    python benchmarks/explain_1mb.py [--runs 7] [--size 1000000] [--glossary team.yaml]

The matcher is compiled once per glossary (timed separately); each run then scans the whole text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bpoterms.explain import Matcher  # noqa: E402
from bpoterms.glossary import GlossarySpec, load  # noqa: E402

CORPUS = REPO / "tests" / "data" / "explain"
BUDGET_SECONDS = 1.0


def build_text(size: int) -> str:
    """The corpus texts in turn, separated by blank lines, until `size` characters."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no corpus texts in {CORPUS}")
    parts: list[str] = []
    length = 0
    while length < size:
        for text in texts:
            parts.append(text)
            length += len(text) + 2
    return "\n\n".join(parts)[:size]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs (default 7)")
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of text (default 1,000,000)")
    parser.add_argument("--glossary", action="append", default=[], help="also load this user glossary")
    args = parser.parse_args()

    glossary = load(GlossarySpec(tuple(Path(p) for p in args.glossary), include_builtin=True))
    text = build_text(args.size)
    started = time.perf_counter()
    matcher = Matcher(glossary.entries)
    compile_seconds = time.perf_counter() - started

    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = matcher.explain(text)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    occurrences = sum(len(t.occurrences) for t in result.terms)
    size = f"{len(text):,} characters, {len(text.encode('utf-8')):,} bytes"
    print(f"text: {size}; glossary: {len(glossary.entries)} entries")
    found = f"{len(result.terms)} terms, {occurrences:,} occurrences"
    print(f"found: {found}, {len(result.unknown_acronyms)} unknown acronyms")
    print(f"compile: {compile_seconds * 1000:.1f} ms (once per glossary)")
    spread = f"min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}"
    print(f"explain: median {median * 1000:.1f} ms over {args.runs} runs ({spread})")
    if median > BUDGET_SECONDS:
        print(f"over budget: the median exceeds {BUDGET_SECONDS:.0f} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
