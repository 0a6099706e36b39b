"""`bpoterms mcp` end to end: the official SDK's own stdio client against the installed command."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if importlib.util.find_spec("mcp") is None:
    pytest.skip("the optional mcp extra is not installed: pip install 'bpoterms[mcp]'", allow_module_level=True)

from .test_installed import installed_command

if TYPE_CHECKING:
    from mcp import ClientSession, StdioServerParameters

# The SDK itself is imported where a test talks to the server, not here: importing it takes about two
# seconds, which every test process would pay while collecting, whichever tests it then runs.

TIMEOUT = 60


def _field(obj: Any, snake: str, camel: str) -> Any:
    """mcp 2.x names fields in snake_case (is_error), 1.x in camelCase (isError)."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


def _text(result: Any) -> str:
    return "".join(block.text for block in result.content if getattr(block, "type", "") == "text")


def _json(result: Any) -> Any:
    assert not _field(result, "is_error", "isError"), _text(result)
    return json.loads(_text(result))


def _server(*global_args: str) -> StdioServerParameters:
    from mcp import StdioServerParameters

    command = installed_command()
    return StdioServerParameters(command=command[0], args=[*command[1:], *global_args, "mcp"], env=dict(os.environ))


def talk(tmp_path: Path, body: Callable[[ClientSession], Awaitable[Any]], *global_args: str) -> tuple[Any, str]:
    """Start the installed `bpoterms mcp`, run `body` in an initialised session; (its result, server stderr)."""
    from mcp import ClientSession
    from mcp.client.stdio import stdio_client

    errors = tmp_path / "server-stderr.txt"

    async def conversation() -> Any:
        with errors.open("w", encoding="utf-8") as errlog:
            async with (
                stdio_client(_server(*global_args), errlog=errlog) as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                return await asyncio.wait_for(body(session), TIMEOUT)

    result = asyncio.run(conversation())
    return result, errors.read_text(encoding="utf-8")


CALLS = {
    "one": ("define", {"terms": ["AHT"]}),
    "several": ("define", {"terms": ["what is fcr", "zzqqxx"]}),
    "versus": ("define", {"terms": ["CSAT vs NPS"]}),
    "miss": ("define", {"terms": ["handle"]}),
    "search": ("search", {"query": "handle time", "limit": 3}),
    "nothing": ("search", {"query": "zzqqxxyy"}),
    "explain": ("explain", {"text": "Our AHT rose while FCR fell; the QZX report is late."}),
    "staff": ("staff", {"calls": 100, "aht": 180, "shrinkage": 0.3}),
    "what_if": ("staff", {"calls": 100, "aht": 180, "agents": 11}),
    # bad arguments: each is a tool error, and the next call is still answered
    "no_terms": ("define", {"terms": []}),
    "missing": ("define", {}),
    "wrong_type": ("search", {"query": "hold", "limit": "many"}),
    "bad_category": ("search", {"query": "hold", "category": "nope"}),
    "bad_regex": ("search", {"query": "(", "match": "regex"}),
    "empty_text": ("explain", {"text": "   "}),
    "impossible": ("staff", {"calls": 100, "aht": 180, "service_level": 1.5}),
    "no_patience": ("staff", {"calls": 100, "aht": 180, "model": "erlang-a"}),
    "unknown_tool": ("definitely_not_a_tool", {}),
    "after": ("define", {"terms": ["ACW"]}),
}


@pytest.fixture(scope="module")
def made_in_this_module() -> dict[str, Any]:
    return {}


@pytest.fixture
def listed_and_called(tmp_path, made_in_this_module) -> tuple[Any, dict[str, Any], str]:
    """(the tools, each of CALLS' answers, the server's stderr) from one conversation with one server, which
    lists its tools, then makes every call of CALLS in order. The server starts in the first such test's
    folders; the other test of this module reads the same conversation (starting a server takes a second)."""
    if "conversation" not in made_in_this_module:

        async def body(session: ClientSession) -> tuple[Any, dict[str, Any]]:
            tools = (await session.list_tools()).tools
            answers = {}
            for key, (tool, arguments) in CALLS.items():
                try:
                    answers[key] = await session.call_tool(tool, arguments)
                except Exception as exc:  # some SDK versions raise for an unknown tool: still the server's answer
                    answers[key] = exc
            return tools, answers

        (tools, answers), stderr = talk(tmp_path, body)
        made_in_this_module["conversation"] = (tools, answers, stderr)
    return made_in_this_module["conversation"]


def test_lists_the_tools_with_schemas_written_for_a_model(listed_and_called):
    tools, _answers, stderr = listed_and_called
    by_name = {tool.name: tool for tool in tools}
    assert set(by_name) == {"define", "search", "explain", "staff"}
    for tool in tools:
        assert len(tool.description) > 150, tool.name  # says what it is for and what comes back
        assert _field(tool.annotations, "read_only_hint", "readOnlyHint") is True  # safe to call unprompted
        schema = _field(tool, "input_schema", "inputSchema")
        assert schema["type"] == "object"
        for name, prop in schema["properties"].items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"
    define = _field(by_name["define"], "input_schema", "inputSchema")
    assert define["required"] == ["terms"]
    assert define["properties"]["terms"]["type"] == "array" and define["properties"]["terms"]["minItems"] == 1
    search = _field(by_name["search"], "input_schema", "inputSchema")
    assert "metrics" in search["properties"]["category"]["description"]  # the loaded categories, named
    assert set(search["properties"]["match"]["enum"]) == {"fuzzy", "exact", "prefix", "substring", "word", "regex"}
    assert "Traceback" not in stderr


def test_every_tool_answers_with_the_documented_json_and_the_server_survives_bad_calls(listed_and_called):
    _tools, answers, stderr = listed_and_called

    one = _json(answers["one"])
    assert one["term"] == "Average Handle Time" and one["match"] == {"query": "AHT", "kind": "acronym", "score": 100.0}
    assert {"definition", "formula", "sources", "see_also", "aliases"} <= set(one)

    several = _json(answers["several"])
    assert [d.get("term") for d in several] == ["First Call Resolution", None]
    assert several[1]["error"] == "not_found" and several[1]["query"] == "zzqqxx"

    versus = _json(answers["versus"])
    assert [d["acronym"] for d in versus] == ["CSAT", "NPS"]

    miss = _json(answers["miss"])  # a miss is an answer (as in --json), not a tool error
    assert miss["error"] == "not_found" and miss["suggestions"][0]["term"] == "Average Handle Time"

    hits = _json(answers["search"])
    assert len(hits) == 3 and hits[0]["term"] == "Average Handle Time"
    assert set(hits[0]) == {"term", "acronym", "category", "score", "matched_field", "definition"}
    assert _json(answers["nothing"]) == []

    explained = _json(answers["explain"])
    assert [t["acronym"] for t in explained["terms"]] == ["AHT", "FCR"]
    assert explained["terms"][0]["occurrences"] == [{"start": 4, "end": 7, "text": "AHT"}]
    assert explained["unknown_acronyms"] == ["QZX"]

    staffed = _json(answers["staff"])
    assert staffed["agents"] == 14 and staffed["scheduled"] == 20 and staffed["meets_targets"] is True
    assert staffed["inputs"]["calls"] == 100 and "conventions" in staffed
    what_if = _json(answers["what_if"])
    assert what_if["agents"] == 11 and what_if["meets_targets"] is False and what_if["notes"]

    for key in ("no_terms", "missing", "wrong_type", "bad_category", "bad_regex", "empty_text", "impossible",
                "no_patience"):  # fmt: skip
        result = answers[key]
        assert _field(result, "is_error", "isError"), key
        assert _text(result).strip(), key
    assert "unknown category 'nope'" in _text(answers["bad_category"])
    assert "invalid regular expression" in _text(answers["bad_regex"])
    assert "below 100%" in _text(answers["impossible"])
    assert "patience" in _text(answers["no_patience"]).lower()
    unknown = answers["unknown_tool"]
    assert isinstance(unknown, Exception) or _field(unknown, "is_error", "isError")

    assert _json(answers["after"])["term"] == "After-Call Work"  # still up and answering
    assert "Traceback" not in stderr


def test_the_team_glossary_layers_apply_and_edits_are_picked_up_while_running(
    tmp_path, team_glossary, builtin_layer_remembered
):
    async def body(session: ClientSession) -> tuple[Any, Any, Any]:
        wq = await session.call_tool("define", {"terms": ["WQ"]})
        team_glossary.write_text(
            team_glossary.read_text(encoding="utf-8").replace("pending customer tickets", "open customer cases"),
            encoding="utf-8",
        )
        os.utime(team_glossary, ns=(1, 1))  # a different stamp even within one clock tick
        edited = await session.call_tool("define", {"terms": ["WQ"]})
        aht = await session.call_tool("define", {"terms": ["AHT"]})
        return wq, edited, aht

    (wq, edited, aht), _stderr = talk(tmp_path, body, "--glossary", str(team_glossary))
    assert "pending customer tickets" in _json(wq)["definition"]
    assert "open customer cases" in _json(edited)["definition"]
    assert _json(aht)["definition"].startswith("On our account")  # the team's AHT overrides the built-in one


def test_a_broken_glossary_stops_the_server_at_start_in_one_line(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("terms:\n  - term: [unclosed\n", encoding="utf-8")
    result = subprocess.run(
        [*installed_command(), "--glossary", str(broken), "mcp"],
        input="",
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("bpoterms: error: ") and result.stderr.count("\n") == 1
    assert "broken.yaml" in result.stderr


def test_a_broken_glossary_is_reported_before_the_sdk_is_imported(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("terms:\n  - term: [unclosed\n", encoding="utf-8")
    code = (
        "import sys; sys.modules['mcp'] = None\n"
        f"sys.argv = ['bpoterms', '--glossary', {str(broken)!r}, 'mcp']\n"
        "from bpoterms.cli import main\nmain()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"bpoterms: error: {broken}:3:1: YAML syntax error")
    assert result.stderr.count("\n") == 1


def test_without_the_extra_the_command_names_what_to_install(tmp_path):
    code = (
        "import sys; sys.modules['mcp'] = None; sys.argv = ['bpoterms', 'mcp']\nfrom bpoterms.cli import main\nmain()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "bpoterms: error: mcp needs the mcp package, which is not installed: pip install 'bpoterms[mcp]'\n"
    )


def test_mcp_is_in_the_help(invoke):
    result = invoke("mcp", "--help")
    assert result.exit_code == 0
    assert "Model Context Protocol" in result.stdout and "bpoterms[mcp]" in result.stdout
