"""`bpoterms mcp`: the loaded glossaries as a Model Context Protocol server over stdio.

An AI assistant (Claude Desktop, VS Code, any MCP client) starts `bpoterms mcp` and calls its
tools instead of guessing what a team's jargon means: `define`, `search`, `explain` and `staff`.
Each answers with the JSON document of the matching `--json` command (docs/json.md,
docs/staffing.md), built by the same serializers; a bad argument is a tool error (one line, the
CLI's own wording) and the server keeps serving.

Glossaries are layered exactly as for the CLI (--glossary, BPOTERMS_GLOSSARY, the config folder)
and re-read when a file changes, so a team can edit its glossary while the assistant runs.
Built on the official `mcp` SDK (an optional extra); only the `mcp` command imports this module.
No `from __future__ import annotations` here: the SDK reads each tool's parameter annotations at
run time to build its input schema, and those mention values computed in `build_server`.
"""

from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.types import ToolAnnotations
from pydantic import Field

from .errors import BpotermsError
from .glossary import Reloading
from .lookup import resolve
from .serialize import dumps

try:  # mcp 2.x renamed FastMCP to MCPServer; the decorator API is the same
    from mcp.server.mcpserver import MCPServer as _Server
    from mcp.server.mcpserver.exceptions import ToolError
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import FastMCP as _Server  # type: ignore[no-redef, attr-defined]
    from mcp.server.fastmcp.exceptions import ToolError  # type: ignore[no-redef, import-not-found]

if TYPE_CHECKING:
    from .store import Glossary

MAX_TERMS = 50
INSTRUCTIONS = (
    "bpoterms answers what business process outsourcing (BPO), contact-center, workforce-management "
    "and outsourcing-contract jargon means, from a curated glossary plus the user's team glossaries. "
    "Teams define terms differently, so look terms up here instead of guessing: `define` for names and "
    "acronyms you can see, `search` when you only know roughly what is meant, `explain` to find every "
    "term in a text, `staff` for Erlang C / Erlang A staffing arithmetic. Every result is JSON."
)
# Validated from the wire names, which mcp 1.x (camelCase fields) and 2.x (snake_case, camelCase aliases) both read.
READ_ONLY = ToolAnnotations.model_validate(
    {"readOnlyHint": True, "destructiveHint": False, "idempotentHint": True, "openWorldHint": False}
)


def _failing(exc: BpotermsError) -> ToolError:
    return ToolError(str(exc))


def build_server(glossaries: Reloading) -> Any:
    """The MCP server and its tools. The glossary is loaded first, so a broken file fails at start-up
    (`bpoterms mcp` loads it even before importing the SDK, a second of imports)."""
    glossary = glossaries.get()
    categories = ", ".join(sorted(glossary.categories))
    server = _Server(name="bpoterms", instructions=INSTRUCTIONS, log_level="WARNING")

    def current() -> "Glossary":
        try:
            return glossaries.get()
        except BpotermsError as exc:
            raise _failing(exc) from None

    @server.tool(
        name="define",
        description=(
            "Look up what BPO / contact-center terms mean in the user's glossary: acronyms (AHT, FCR, ACW), "
            "names (average handle time), aliases, plurals, misspellings and short questions ('what is nps', "
            "'CSAT vs NPS'). Use it for every term you are not sure of: teams define terms differently. "
            "One term returns one JSON object: the entry (term, acronym, aliases, category, definition, formula, "
            "see_also, confused_with, notes, sources with each source's own words, region, direction, compute, "
            "example, variants) plus match {query, kind, score}. Several terms return a list, one item per "
            'term, in order. A name several entries share returns {"ambiguous": true, "query", "entries": '
            "[...]}: pick the reading that fits the context or ask. 'A vs B' returns a list of the two "
            'entries. A miss returns {"error": "not_found", "query", "suggestions": [{term, acronym, score}]}: '
            "suggestions are near names, not answers; do not present them as the meaning."
        ),
        annotations=READ_ONLY,
        structured_output=False,
    )
    def define(
        terms: Annotated[
            list[str],
            Field(
                min_length=1,
                max_length=MAX_TERMS,
                description='Terms, acronyms or short questions, one per item, e.g. ["AHT", "what is FCR"].',
            ),
        ],
    ) -> str:
        found = current()
        from .serialize import lookup_dict

        try:
            docs = [lookup_dict(resolve(found, term), found) for term in terms]
        except BpotermsError as exc:
            raise _failing(exc) from None
        return dumps(docs[0] if len(docs) == 1 else docs)

    @server.tool(
        name="search",
        description=(
            "Find glossary entries when you do not know the exact name: ranks entries by how well the query "
            "matches a name, acronym or alias (typos allowed), then by the words of their definitions, "
            "e.g. 'handle time', 'abandon', 'payroll outsourcing'. Returns a JSON list, best first, of "
            "{term, acronym, category, score (0-100), matched_field (term, acronym, alias or definition), "
            "definition}; an empty list when nothing matches. Call define on a result's term for the full entry."
        ),
        annotations=READ_ONLY,
        structured_output=False,
    )
    def search(
        query: Annotated[str, Field(min_length=1, description="Words to look for, e.g. 'handle time'.")],
        limit: Annotated[int, Field(ge=1, le=100, description="At most this many results.")] = 10,
        category: Annotated[
            str | None, Field(description=f"Only entries in this category, one of: {categories}.")
        ] = None,
        match: Annotated[
            Literal["fuzzy", "exact", "prefix", "substring", "word", "regex"],
            Field(
                description="fuzzy (ranked, the default); exact, prefix, substring or word on names; "
                "regex (Python syntax, case-insensitive) on names and definitions."
            ),
        ] = "fuzzy",
    ) -> str:
        from .ranking import search as run_search
        from .serialize import hit_dict

        found = current()
        try:
            hits = run_search(found, query, limit=limit, category=category, strategy=match)
        except BpotermsError as exc:
            raise _failing(exc) from None
        return dumps([hit_dict(hit) for hit in hits])

    @server.tool(
        name="explain",
        description=(
            "Find every glossary term and acronym used in a text (a client email, an SLA, a QA report, "
            "meeting notes), to explain it or check it is read correctly. Returns JSON {terms: [{term, acronym, "
            "category, definition, occurrences: [{start, end, text}]}], unknown_acronyms: [...]}: terms in order "
            "of first appearance; occurrences are character offsets into the text. unknown_acronyms are "
            "all-capital words no loaded glossary defines: say they are undefined rather than guess. "
            "Acronyms match only in capitals."
        ),
        annotations=READ_ONLY,
        structured_output=False,
    )
    def explain(
        text: Annotated[str, Field(min_length=1, description="The text to scan, as plain text.")],
    ) -> str:
        from .explain import check_input
        from .explain import explain as run_explain
        from .serialize import explanation_dict

        found = current()
        try:
            result = run_explain(check_input(text, "text"), found.entries)
        except BpotermsError as exc:
            raise _failing(exc) from None
        return dumps(explanation_dict(result))

    if _staffing_available():
        _add_staff(server)
    return server


def _staffing_available() -> bool:
    """The staff tool is offered when the staffing core is importable (it is optional for this server)."""
    try:
        from .staff_serialize import staff_dict  # noqa: F401
        from .staffing import Model, Queue, Targets, scheduled, shortfalls, solve  # noqa: F401
    except ImportError:
        return False
    return True


def _add_staff(server: Any) -> None:
    @server.tool(
        name="staff",
        description=(
            "Contact-center staffing arithmetic for one queue in one interval (Erlang C, or Erlang A with "
            "abandonment): the least number of agents that meets every stated target, or, given agents, what "
            "that headcount achieves. Times are seconds; rates and percentages are fractions from 0 to 1 "
            "(0.8 means 80%). Returns the `bpoterms staff --json` document: agents, scheduled (headcount after "
            "shrinkage), traffic (erlangs), p_wait, service_level, asa, mean_wait, occupancy, p_abandon, stable, "
            "meets_targets, notes, inputs and the conventions the figures follow."
        ),
        annotations=READ_ONLY,
        structured_output=False,
    )
    def staff(
        calls: Annotated[float, Field(ge=0, description="Calls offered in the interval, e.g. 100.")],
        aht: Annotated[float, Field(gt=0, description="Average handle time in seconds, e.g. 180.")],
        interval: Annotated[float, Field(gt=0, description="Interval length in seconds (1800 = 30 minutes).")] = 1800,
        service_level: Annotated[
            float | None,
            Field(description="Service level target as a fraction (0.8 = 80% answered within threshold); null: none."),
        ] = 0.8,
        threshold: Annotated[float, Field(ge=0, description="Service level threshold in seconds.")] = 20,
        asa: Annotated[float | None, Field(description="Also keep the average speed of answer at most this (s).")] = (
            None
        ),
        max_occupancy: Annotated[float | None, Field(description="Also keep occupancy at most this fraction.")] = None,
        shrinkage: Annotated[
            float, Field(ge=0, lt=1, description="Share of paid time off the phones, a fraction (0.3 = 30%).")
        ] = 0.0,
        model: Annotated[
            Literal["erlang-c", "erlang-a"],
            Field(description="erlang-c (callers never hang up) or erlang-a (needs patience)."),
        ] = "erlang-c",
        patience: Annotated[
            float | None, Field(description="Erlang A only: callers' mean patience in seconds before hanging up.")
        ] = None,
        max_abandon: Annotated[
            float | None, Field(description="Erlang A only: keep the abandonment rate at most this fraction.")
        ] = None,
        agents: Annotated[
            int | None, Field(ge=0, description="What-if: the figures for this many agents instead of solving.")
        ] = None,
    ) -> str:
        from .staff_serialize import staff_dict, staff_notes
        from .staffing import Model, Queue, Targets, staff

        try:
            queue = Queue(calls, interval, aht, model, patience)
            targets = Targets(service_level, threshold, asa, max_occupancy, max_abandon)
            metrics = staff(Model(queue), targets, agents)
            notes = staff_notes(metrics, targets, what_if=agents is not None)
            doc = staff_dict(queue, metrics, targets, shrinkage=shrinkage, agents=agents, notes=notes)
        except BpotermsError as exc:
            raise _failing(exc) from None
        return dumps(doc)
