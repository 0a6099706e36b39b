"""Check the word index's bounds against the real score, for every name, on queries people type.

    .venv/bin/python benchmarks/bounds.py                  # every query in benchmarks/queries/ (about 3 minutes)
    .venv/bin/python benchmarks/bounds.py --limit 200      # the first 200 queries

Fuzzy matching scores names best bound first and stops once no bound can reach the scores found
(bpoterms/nameindex.py), so a bound below a name's `name_score` can pass over the right name.
The unit tests check the bound on a handful of queries; this checks it on each hand-written query
against every name of the built-in glossary, and counts the names no bound was given that score
at least the suggestion cut-off (found neither through a word nor a joined or split word: by
design not candidates, listed so that a change in their number is noticed).
Exits 1 when any bound is below its name's score.
"""

from __future__ import annotations

import argparse
import sys

from accuracy import QUERIES, read_rows

from bpoterms import GlossarySpec, QueryError, load
from bpoterms.lookup import clean_query
from bpoterms.normalize import american
from bpoterms.scoring import MAX_QUERY_WORDS, SUGGEST_CUTOFF, name_score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="check only the first LIMIT queries")
    parser.add_argument("--show", type=int, default=10, help="print at most this many of each finding (default 10)")
    args = parser.parse_args(argv)
    glossary = load(GlossarySpec((), include_builtin=True))
    names = glossary.name_table().names
    name_words = [[american(w) for w in name.split()] for name in names]
    index = glossary.name_index()
    queries = list(dict.fromkeys(row["query"] for row in read_rows(QUERIES)))[: args.limit]
    below = outside = checked = 0
    for query in queries:
        try:
            words = [american(w) for w in clean_query(query).split()[:MAX_QUERY_WORDS]]
        except QueryError:
            continue
        if not words:
            continue
        checked += 1
        bounds = {pos: bound for bound, pos, _aligned in index.ranked(words)}
        for pos, candidate in enumerate(name_words):
            score = name_score(words, candidate)
            bound = bounds.get(pos)
            if bound is not None and score > bound + 1e-9:
                below += 1
                if below <= args.show:
                    print(f"bound below score: {query!r} / {names[pos]!r}: {score:.2f} > {bound:.2f}")
            elif bound is None and score >= SUGGEST_CUTOFF:
                outside += 1
                if outside <= args.show:
                    print(f"not a candidate:   {query!r} / {names[pos]!r}: {score:.2f}")
    print(
        f"{checked} queries × {len(names)} names: {below} bounds below the score; "
        f"{outside} names scoring {SUGGEST_CUTOFF:g} or more that were no candidate"
    )
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
