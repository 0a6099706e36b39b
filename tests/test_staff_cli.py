"""`bpoterms staff` and `bpoterms calc` through the real CLI: output, JSON and CSV contracts, errors, interval plans."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bpoterms.forecast import ForecastError, read_rows

from .conftest import REPO

ESCAPE = re.compile(r"\x1b\[")
DAY = REPO / "docs" / "examples" / "day.csv"


def one_error_line(result, *fragments: str, code: int = 2) -> str:
    """The error contract: exit code, nothing on stdout, one line on stderr naming the problem."""
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bpoterms: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


# ---------------------------------------------------------------- staff: the answer


def test_staff_prints_the_worked_example(invoke):
    result = invoke("staff", "--calls", "100", "--interval", "30m", "--aht", "180", "--target", "80/20",
                    "--shrinkage", "30%")  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "Erlang C: 100 calls in 30 min, AHT 180 s\n"
        "target: 80% answered within 20 s\n"
        "\n"
        "  agents         14\n"
        "  scheduled      20  (14 / (1 − 30%) = 20.0)\n"
        "  traffic        10.00 erlangs\n"
        "  P(wait)        17.4%\n"
        "  service level  88.8%  (within 20 s)\n"
        "  ASA            7.8 s  (answered calls)\n"
        "  occupancy      71.4%\n"
    )


def test_the_defaults_are_a_30_minute_interval_80_20_and_erlang_c(invoke):
    doc = json.loads(invoke("staff", "--calls", "100", "--aht", "3m", "--json").stdout)
    assert doc["inputs"]["interval"] == 1800
    assert doc["inputs"]["target"] == {"service_level": 0.8, "threshold": 20}
    assert doc["model"] == "erlang-c" and doc["agents"] == 14


def test_staff_json_has_the_documented_keys_in_seconds_and_fractions(invoke):
    result = invoke("staff", "--calls", "100", "--aht", "180", "--shrinkage", "30", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    doc = json.loads(result.stdout)
    for key in ("model", "agents", "scheduled", "scheduled_fractional", "traffic", "p_wait", "service_level", "asa",
                "mean_wait", "occupancy", "p_abandon", "stable", "inputs", "conventions"):  # fmt: skip
        assert key in doc
    assert doc["agents"] == 14 and doc["scheduled"] == 20 and doc["scheduled_fractional"] == 20.0
    assert doc["traffic"] == 10.0
    assert doc["service_level"] == pytest.approx(0.88835, abs=1e-5)
    assert doc["asa"] == pytest.approx(7.836, abs=1e-3)
    assert doc["occupancy"] == pytest.approx(0.714286, abs=1e-6)
    assert doc["p_abandon"] == 0 and doc["stable"] is True and doc["meets_targets"] is True
    assert doc["inputs"]["shrinkage"] == 0.3 and doc["inputs"]["agents"] is None
    assert "abandons count against" in doc["conventions"]["service_level"]
    assert "answered" in doc["conventions"]["asa"] and "abandoners included" in doc["conventions"]["mean_wait"]


def test_what_if_13_agents_misses_80_20_and_says_so(invoke):
    result = invoke("staff", "--calls", "100", "--aht", "180", "--agents", "13")
    assert result.exit_code == 0
    assert "  agents         13\n" in result.stdout
    assert "note: misses the targets: service level 79.56% < 80% in 20 s" in result.stdout
    doc = json.loads(invoke("staff", "--calls", "100", "--aht", "180", "--agents", "13", "--json").stdout)
    assert doc["agents"] == 13 and doc["inputs"]["agents"] == 13 and doc["meets_targets"] is False
    assert doc["service_level"] == pytest.approx(0.795595, abs=1e-6)


def test_an_unstable_headcount_is_said_plainly_never_infinity(invoke):
    result = invoke("staff", "--calls", "100", "--aht", "180", "--agents", "10")
    assert result.exit_code == 0
    assert "  stable   no  (agents ≤ traffic: the queue grows without limit)\n" in result.stdout
    assert not re.search(r"inf|nan|-\d", result.stdout.split("note:")[0], re.IGNORECASE)
    doc = json.loads(invoke("staff", "--calls", "100", "--aht", "180", "--agents", "10", "--json").stdout)
    assert doc["stable"] is False and doc["asa"] is None and doc["mean_wait"] is None
    assert doc["service_level"] == 0 and doc["p_wait"] == 1


def test_every_constraint_is_honoured(invoke):
    def agents(*extra: str) -> int:
        return json.loads(invoke("staff", "--calls", "100", "--aht", "180", "--json", *extra).stdout)["agents"]

    assert agents("--asa", "2s") == 16
    assert agents("--max-occupancy", "65%") == 16
    assert agents("--target", "90/20") == 15
    assert agents("--target", "90/30") == 14
    assert agents("--target", "none", "--max-occupancy", "85%") == 12


def test_erlang_a_staffs_below_the_load_and_says_so(invoke):
    args = ("staff", "--calls", "10000", "--aht", "180", "--model", "erlang-a", "--patience", "120s")
    result = invoke(*args)
    assert result.exit_code == 0
    assert "Erlang A: 10000 calls in 30 min, AHT 180 s, patience 120 s" in result.stdout
    assert "  agents         892\n" in result.stdout
    assert "  abandoned      " in result.stdout and "(all calls, abandoners included)" in result.stdout
    assert "note: 892 agents is below the traffic of 1000.00 erlangs" in result.stdout
    doc = json.loads(invoke(*args, "--json").stdout)
    assert doc["model"] == "erlang-a" and doc["agents"] == 892 and doc["p_abandon"] > 0.1
    assert doc["inputs"]["patience"] == 120
    assert doc["mean_wait"] == pytest.approx(doc["p_abandon"] * 120, abs=1e-3)
    assert any("below the traffic" in note for note in doc["notes"])


def test_erlang_a_max_abandon_is_a_constraint(invoke):
    base = ("staff", "--calls", "2000", "--aht", "180", "--model", "erlang-a", "--patience", "120", "--json")
    loose = json.loads(invoke(*base).stdout)
    tight = json.loads(invoke(*base, "--max-abandon", "2%").stdout)
    assert tight["agents"] > loose["agents"] and tight["p_abandon"] <= 0.02


def test_table_shows_the_curve_around_the_answer_with_bars(invoke):
    result = invoke("staff", "--calls", "100", "--aht", "180", "--table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.endswith("occupancy  service level"))
    rows = lines[header + 1 :]
    assert [int(r.split()[0]) for r in rows] == list(range(8, 21))
    answer = next(r for r in rows if r.endswith(" <"))
    assert answer.split()[0] == "14" and "88.8%" in answer and "#" in answer and "|" in answer
    assert "unstable" in rows[0]
    doc = json.loads(invoke("staff", "--calls", "100", "--aht", "180", "--table", "--json").stdout)
    assert [row["agents"] for row in doc["table"]] == list(range(8, 21))
    assert [row["meets_targets"] for row in doc["table"]] == [False] * 6 + [True] * 7


def test_colour_draws_a_table_with_bars(invoke):
    result = invoke("staff", "--calls", "100", "--aht", "180", "--table", "--color", "always")
    assert result.exit_code == 0
    assert ESCAPE.search(result.stdout) and "█" in result.stdout and "◀" in result.stdout


def test_plain_output_has_no_escape_codes(invoke, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ESCAPE.search(invoke("staff", "--calls", "100", "--aht", "180", "--table").stdout)


def test_csv_gives_one_row_per_headcount(invoke):
    result = invoke("staff", "--calls", "100", "--aht", "180", "--table", "--csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 13 and rows[6]["agents"] == "14" and rows[6]["meets_targets"] == "true"
    assert rows[0]["asa"] == "" and rows[0]["stable"] == "false"


def test_help_states_the_conventions(invoke):
    text = " ".join(invoke("staff", "--help").stdout.split())
    assert "abandons count against it" in text
    assert "ASA = mean wait of answered calls" in text
    assert "occupancy = carried load / agents" in text


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--calls", "-5", "--aht", "180"], ["calls cannot be negative"]),
        (["--calls", "abc", "--aht", "180"], ["--calls", "not a number"]),
        (["--calls", "100", "--aht", "0"], ["AHT must be longer than 0"]),
        (["--calls", "100", "--aht", "three"], ["--aht", "not a duration"]),
        (["--calls", "100", "--aht", "180", "--target", "101/20"], ["--target", "above 100%"]),
        (["--calls", "100", "--aht", "180", "--target", "100/20"], ["below 100%"]),
        (["--calls", "100", "--aht", "180", "--target", "80"], ["80/20"]),
        (["--calls", "100", "--aht", "180", "--shrinkage", "0.3"], ["looks like a fraction", "85%"]),
        (["--calls", "100", "--aht", "180", "--shrinkage", "100%"], ["below 100%"]),
        (["--calls", "100", "--aht", "180", "--max-occupancy", "0.85"], ["--max-occupancy", "fraction"]),
        (["--calls", "100", "--aht", "180", "--agents", "0"], ["--agents", "at least 1"]),
        (["--calls", "100", "--aht", "180", "--agents", "2.5"], ["--agents", "whole number"]),
        (["--calls", "100", "--aht", "180", "--model", "erlang-x"], ["--model", "erlang-c, erlang-a"]),
        (["--calls", "100", "--aht", "180", "--model", "erlang-a"], ["needs --patience"]),
        (["--calls", "100", "--aht", "180", "--patience", "60"], ["--patience needs --model erlang-a"]),
        (["--calls", "100", "--aht", "180", "--max-abandon", "5%"], ["Erlang A"]),
        (["--calls", "100", "--aht", "180", "--json", "--csv"], ["cannot be combined"]),
        (["--aht", "180"], ["give --calls"]),
        (["--calls", "100"], ["give --aht"]),
        (["--calls", "100", "--aht", "180", "--color", "purple"], ["--color"]),
        (["--calls", "1e15", "--aht", "180"], ["--calls"]),
        (["--calls", "100000000000", "--aht", "180"], ["more than one queue"]),
    ],
)
def test_bad_input_is_one_line_and_exit_2(invoke, args, fragments):
    one_error_line(invoke("staff", *args), *fragments)


def test_the_installed_command_reports_bad_input_in_one_line_without_a_traceback(tmp_path):
    env = {"HOME": str(tmp_path), "BPOTERMS_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, "-m", "bpoterms", "staff", "--calls", "x", "--aht", "180"],
        capture_output=True, text=True, cwd=REPO, env=env, check=False,
    )  # fmt: skip
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == "bpoterms: error: --calls: 'x' is not a number\n"


# ---------------------------------------------------------------- staff --forecast


def test_the_example_day_plan(invoke):
    result = invoke("staff", "--forecast", str(DAY), "--shrinkage", "30%")
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].endswith("day.csv: 20 intervals of 30 min (from the file), Erlang C, target 80% in 20 s, "
                             "shrinkage 30%")  # fmt: skip
    assert lines[2].split() == ["start", "calls", "AHT", "erlangs", "agents", "scheduled", "SL", "ASA", "occupancy"]
    assert lines[3].split()[:6] == ["08:00", "42", "200", "4.67", "7", "10"]
    assert lines[-1].startswith("day: 2,465 calls, peak 22 agents at 10:30, 165.0 agent-hours, 235.7 scheduled hours")


def test_the_plan_as_json_and_csv(invoke):
    doc = json.loads(invoke("staff", "--forecast", str(DAY), "--shrinkage", "30%", "--json").stdout)
    assert len(doc["intervals"]) == 20 and doc["interval"] == 1800
    first = doc["intervals"][0]
    assert (first["start"], first["calls"], first["aht"], first["agents"], first["line"]) == ("08:00", 42, 200, 7, 3)
    totals = doc["totals"]
    assert totals["peak_agents"] == 22 and totals["peak_start"] == "10:30"
    assert totals["agent_hours"] == 165.0 and totals["scheduled_hours"] == pytest.approx(165 / 0.7, abs=1e-3)
    assert totals["calls"] == 2465 and 0.8 <= totals["service_level"] < 1
    assert doc["inputs"]["interval_from_file"] is True and "conventions" in doc
    rows = list(csv.DictReader(io.StringIO(invoke("staff", "--forecast", str(DAY), "--csv").stdout)))
    assert len(rows) == 20 and rows[5]["start"] == "10:30" and rows[5]["agents"] == "22"


def test_an_erlang_a_plan_shows_abandonment(invoke):
    result = invoke("staff", "--forecast", str(DAY), "--model", "erlang-a", "--patience", "90s")
    assert result.exit_code == 0
    assert "abandoned" in result.stdout.splitlines()[2]
    assert "SL, ASA and abandonment weighted by calls" in result.stdout


def write(tmp_path: Path, text: str, name: str = "plan.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_plan_without_a_header_and_with_comments_zero_calls_and_a_bom(invoke, tmp_path):
    path = tmp_path / "night.csv"
    path.write_bytes("\ufeff# night shift\n22:00,12\n\n22:30,0\n23:00,6\n".encode())
    doc = json.loads(invoke("staff", "--forecast", str(path), "--aht", "4m", "--json").stdout)
    assert [(i["start"], i["agents"]) for i in doc["intervals"]] == [("22:00", 4), ("22:30", 0), ("23:00", 3)]
    assert doc["intervals"][1]["service_level"] == 1.0 and doc["totals"]["calls"] == 18


def test_a_plan_across_midnight_uses_date_times_and_gaps_of_whole_intervals(invoke, tmp_path):
    file = write(tmp_path, "interval,volume,handle_time\n2026-05-04 23:30,20,3m\n2026-05-05T00:00,10,\n"
                           "2026-05-05 01:00,5,200\n")  # fmt: skip
    doc = json.loads(invoke("staff", "--forecast", file, "--aht", "180", "--json").stdout)
    assert [i["aht"] for i in doc["intervals"]] == [180, 180, 200]
    assert doc["interval"] == 1800  # the smallest gap; the 1-hour gap is two intervals


def test_the_interval_can_be_given(invoke, tmp_path):
    file = write(tmp_path, "08:00,100\n09:00,100\n")
    doc = json.loads(invoke("staff", "--forecast", file, "--aht", "180", "--interval", "1h", "--json").stdout)
    assert doc["interval"] == 3600 and doc["inputs"]["interval_from_file"] is False
    assert doc["intervals"][0]["traffic"] == 5.0


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("start,calls\n08:00,10\n08:30,x\n", 3, "calls: 'x' is not a number"),
        ("start,calls\n08:00,10\n08:30,-4\n", 3, "calls cannot be negative"),
        ("start,calls\n8 am,10\n", 2, "'8 am' is not an interval start"),
        ("start,calls\n25:00,10\n", 2, "not a time of day"),
        (
            "08:00,10\n07:30,4\n",
            2,
            "interval starts must increase: 07:30 follows 08:00; a plan that runs past midnight",
        ),
        ("08:00,10\n08:00,4\n", 2, "must increase"),
        ("08:00,10\n08:30,4\n09:15,4\n", 3, "09:15 starts 45 min after 08:30"),
        ("08:00,10\n2026-05-04 08:30,4\n", 2, "mixes times and date-times"),
        ("when,how_many\n08:00,10\n", 1, "no interval start column"),
        ("start,volume,aht\n08:00,10,0\n", 2, "AHT must be longer than 0"),
        ("start,volume,aht\n08:00,10,soon\n", 2, "not a duration"),
        ("08:00\n", 1, "an interval start and a call count"),
        ('08:00,"10\n', 1, "not valid CSV"),
    ],
)
def test_a_bad_row_is_reported_as_file_line_message(invoke, tmp_path, text, where, message):
    file = write(tmp_path, text)
    line = one_error_line(invoke("staff", "--forecast", file, "--aht", "180"))
    assert line.startswith(f"bpoterms: error: {file}:{where}: ")
    assert message in line


def test_a_plan_needs_an_aht_from_the_file_or_the_option(invoke, tmp_path):
    file = write(tmp_path, "start,calls,aht\n08:00,10,180\n08:30,10,\n")
    one_error_line(invoke("staff", "--forecast", file), f"{file}:3: no AHT: give --aht")


def test_plan_errors_without_a_line(invoke, tmp_path):
    one_error_line(invoke("staff", "--forecast", str(tmp_path / "missing.csv"), "--aht", "180"), "no such file")
    one_error_line(invoke("staff", "--forecast", str(tmp_path), "--aht", "180"), "is a folder")
    one_error_line(invoke("staff", "--forecast", write(tmp_path, "# nothing\n"), "--aht", "180"), "no intervals")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"08:00,10\n\xff\xfe,3\n")
    one_error_line(invoke("staff", "--forecast", str(binary), "--aht", "180"), f"{binary}:2: not UTF-8")
    one_error_line(invoke("staff", "--forecast", str(DAY), "--calls", "5"), "cannot be combined")


def test_a_plan_reads_standard_input(invoke):
    doc = json.loads(invoke("staff", "--forecast", "-", "--aht", "180", "--json", input="08:00,100\n").stdout)
    assert doc["file"] == "<stdin>" and doc["intervals"][0]["agents"] == 14


def test_rows_keep_their_line_numbers():
    rows = read_rows("# header comes next\nstart,calls\n\n08:00,5\n08:30,6\n", "f.csv")
    assert [(r.line, r.start, r.calls) for r in rows] == [(4, "08:00", 5.0), (5, "08:30", 6.0)]
    with pytest.raises(ForecastError) as caught:
        read_rows("08:00,1\n08:30,two\n", "f.csv")
    assert (caught.value.file, caught.value.line) == ("f.csv", 2)


# ---------------------------------------------------------------- calc

TEAM = """\
terms:
  - term: Widget Yield
    acronym: WY
    category: metrics
    definition: The share of widgets that pass inspection.
    formula: "good / total × 100"
    compute:
      expression: "good / total * 100"
      inputs:
        good: {description: "widgets that pass", unit: widgets}
        total: {description: "widgets made", unit: widgets}
      unit: "%"
    example: {inputs: {good: 3, total: 4}, result: 75, text: "3 / 4 × 100 = 75%."}
    variants:
      - name: Net of rework
        formula: "(good − rework) / total × 100"
        expression: "(good - rework) / total * 100"
        used_by: Acme
      - name: Weighted by value
        formula: "value of good widgets / value of all widgets × 100"
        used_by: Others
  - term: Widget Count
    definition: How many widgets there are.
"""


@pytest.fixture
def team(tmp_path: Path) -> list[str]:
    path = tmp_path / "team.yaml"
    path.write_text(TEAM, encoding="utf-8")
    return ["--no-builtin", "--glossary", str(path)]


def test_calc_shows_the_formula_with_the_numbers_put_in(invoke, team):
    result = invoke(*team, "calc", "WY", "good=3", "total=4")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == (
        "Widget Yield (WY)\n"
        "  good / total * 100\n"
        "    good  = 3 widgets  widgets that pass\n"
        "    total = 4 widgets  widgets made\n"
        "  = 3 / 4 * 100\n"
        "  = 75%\n"
    )


def test_calc_json(invoke, team):
    doc = json.loads(invoke(*team, "calc", "widget yield", "total=3", "good=1", "--json").stdout)
    assert doc == {
        "term": "Widget Yield", "acronym": "WY", "variant": None, "expression": "good / total * 100",
        "inputs": {"good": 1.0, "total": 3.0}, "substituted": "1 / 3 * 100", "result": pytest.approx(33.3333333),
        "unit": "%",
    }  # fmt: skip


def test_calc_with_a_variant(invoke, team):
    result = invoke(*team, "calc", "WY", "--variant", "rework", "good=3", "total=4", "rework=1")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Widget Yield (WY), Net of rework (Acme)"
    assert result.stdout.endswith("  = (3 - 1) / 4 * 100\n  = 50%\n")
    doc = json.loads(invoke(*team, "calc", "WY", "--variant", "net of rework", "good=3", "total=4", "rework=1",
                            "--json").stdout)  # fmt: skip
    assert doc["variant"] == "Net of rework" and doc["result"] == 50


@pytest.mark.parametrize(
    ("args", "fragments", "code"),
    [
        (["WY", "good=3"], ["missing input: total (widgets made)", "bpoterms calc WY good=N total=N"], 2),
        (["WY"], ["missing inputs: good (widgets that pass), total (widgets made)"], 2),
        (["WY", "good=3", "total=0"], ["division by zero: total is 0"], 2),
        (["WY", "good=3", "total=4", "bad=1"], ["unknown input bad: Widget Yield (WY) takes good, total"], 2),
        (["WY", "good=three", "total=4"], ["good: 'three' is not a number"], 2),
        (["WY", "good"], ["name=value"], 2),
        (["WY", "--variant", "nope", "good=1", "total=1"], ["is not a variant", "Net of rework; Weighted by value"], 2),
        (["WY", "--variant", "value", "good=1", "total=1"], ["has no formula bpoterms can compute"], 2),
        (["Widget Count"], ["Widget Count has no formula bpoterms can compute"], 1),
        (["WY", "good=1", "total=1", "--color", "x"], ["--color"], 2),
    ],
)
def test_calc_errors_are_one_line(invoke, team, args, fragments, code):
    one_error_line(invoke(*team, "calc", *args), *fragments, code=code)


def test_calc_of_an_unknown_term_suggests_like_define_and_exits_1(invoke, team):
    result = invoke(*team, "calc", "widget yeild", "good=1", "total=2")
    assert result.exit_code == 0 or result.exit_code == 1
    result = invoke(*team, "calc", "zzzz qqqq", "a=1")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("bpoterms: no entry for 'zzzz qqqq'")


def test_calc_on_the_built_in_glossary(invoke):
    result = invoke("calc", "AHT", "talk=12000", "hold=1500", "acw=3000", "handled=100")
    assert result.exit_code == 0
    assert result.stdout.endswith("  = (12000 + 1500 + 3000) / 100\n  = 165 seconds\n")


def test_calc_colour(invoke, team):
    assert ESCAPE.search(invoke(*team, "calc", "WY", "good=3", "total=4", "--color", "always").stdout)


def test_a_service_level_never_rounds_onto_the_wrong_side_of_its_target():
    from bpoterms.staff_cli import _sl

    assert [_sl(v, 0.8) for v in (0.888, 0.7996, 0.79996, 0.8)] == ["88.8%", "79.96%", "79.996%", "80.0%"]
    assert _sl(0.7996, None) == "80.0%"


def test_erlang_a_without_any_target_says_which_to_give(invoke):
    args = ("staff", "--calls", "100", "--aht", "180", "--model", "erlang-a", "--patience", "60", "--target", "none")
    one_error_line(invoke(*args), "--target, --asa, --max-occupancy or --max-abandon")
