"""The layering promise: the core is a library that never pulls in the CLI or terminal stacks."""

from __future__ import annotations

import ast
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bpoterms"
CORE_MODULES = [
    "bpoterms",
    "bpoterms.glossary",
    "bpoterms.lookup",
    "bpoterms.model",
    "bpoterms.serialize",
    "bpoterms.plain",
    "bpoterms.store",
    "bpoterms.layers",
    "bpoterms.export",
    "bpoterms.explain",
    "bpoterms.quiz",
    "bpoterms.staffing",
    "bpoterms.quantities",
    "bpoterms.forecast",
    "bpoterms.calc",
    "bpoterms.staff_serialize",
    "bpoterms.scoring",
]


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
    )
    return set(out.stdout.split())


def test_core_modules_import_neither_typer_nor_rich():
    """One process imports the core modules in turn; imports only accumulate, so the first module
    after which a CLI or terminal package is loaded is the one that pulls it in."""
    code = (
        "import sys, importlib\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "    pulled = sorted({'typer', 'rich', 'click'} & set(sys.modules))\n"
        "    if pulled:\n"
        "        print(name, 'imports', ', '.join(pulled))\n"
        "        break\n"
        "print('checked', name)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent)
    assert out.stdout.splitlines() == [f"checked {CORE_MODULES[-1]}"], out.stdout


def test_using_the_library_for_an_exact_lookup_imports_neither_typer_rich_nor_rapidfuzz():
    loaded = modules_after("import bpoterms\ng = bpoterms.load()\nprint(bpoterms.resolve(g, 'AHT').entry.term)")
    assert not {"typer", "rich", "rapidfuzz"} & loaded


def test_compiling_a_team_glossary_in_the_usual_shape_imports_neither_yaml_typing_nor_dataclasses(
    tmp_path, builtin_layer_remembered
):
    """The first lookup after a team edits its glossary compiles it over the built-in layer (remembered
    in the cache folder). The line reader takes a file in the usual shape, so that route pays for
    none of PyYAML, typing or dataclasses, whose imports together cost some three times Python's
    own start-up."""
    team = tmp_path / "team.yaml"
    team.write_text("terms:\n  - term: Work Queue\n    acronym: WQ\n    definition: Pending tickets.\n")
    loaded = modules_after(
        f"import bpoterms\nspec = bpoterms.GlossarySpec(({str(team)!r},))\n"
        "assert bpoterms.load(spec, use_cache=True).get('WQ').term == 'Work Queue'"
    )
    assert "bpoterms.layers" in loaded, "the glossary was compiled"
    assert not {"yaml", "typing", "dataclasses"} & loaded


def imported_names(path: Path) -> frozenset[str]:
    return imported_names_in(path.read_text(encoding="utf-8"))


@functools.cache
def imported_names_in(source: str) -> frozenset[str]:
    """Cached by the source text itself: the files are read on every call, parsed once per text."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            names.add("." + node.module.split(".")[0])
    return frozenset(names)


def test_only_cli_imports_typer():
    users = {p.name for p in PACKAGE.glob("*.py") if "typer" in imported_names(p)}
    # staff_cli.py (staff, calc) and extra_cli.py (browse, mcp): typer commands registered by cli.py
    assert users == {"cli.py", "staff_cli.py", "extra_cli.py"}


def test_only_scoring_imports_rapidfuzz():
    users = {p.name for p in PACKAGE.glob("*.py") if "rapidfuzz" in imported_names(p)}
    assert users == {"scoring.py"}


def test_only_layers_and_the_loader_import_yaml():
    users = {p.name for p in PACKAGE.glob("*.py") if "yaml" in imported_names(p)}
    assert users <= {"yamlfile.py", "yamlload.py", "layers.py"}


def test_only_their_own_commands_import_prompt_toolkit_and_mcp():
    for package, allowed in (("prompt_toolkit", {"browse.py"}), ("mcp", {"mcp_server.py"})):
        users = {p.name for p in PACKAGE.glob("*.py") if package in imported_names(p)}
        assert users == allowed, package
    # the command modules reach them only inside the command bodies, never at import time
    extra = ast.parse((PACKAGE / "extra_cli.py").read_text(encoding="utf-8"))
    top_level = {n.module for n in extra.body if isinstance(n, ast.ImportFrom)}
    assert not {"browse", "mcp_server"} & top_level


def test_loading_the_cli_and_running_define_imports_neither_prompt_toolkit_nor_mcp(tmp_path):
    code = (
        "import sys; sys.argv = ['bpoterms', 'define', 'AHT']\n"
        "import bpoterms.cli\n"
        "try:\n    bpoterms.cli.main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print('\\nMODULES', ' '.join(sys.modules))"
    )
    env = {"BPOTERMS_CACHE_DIR": os.environ["BPOTERMS_CACHE_DIR"], "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent, env=env
    )
    assert "Average Handle Time" in out.stdout
    loaded = set(out.stdout.split("MODULES", 1)[1].split())
    assert "bpoterms.extra_cli" in loaded  # the commands are registered ...
    assert not {"prompt_toolkit", "mcp", "pydantic", "bpoterms.browse", "bpoterms.mcp_server"} & loaded  # ... not run


def test_only_render_and_the_cli_layer_import_rich():
    users = {p.name for p in PACKAGE.glob("*.py") if "rich" in imported_names(p)}
    assert users <= {"render.py", "cli.py", "commands.py", "staff_cli.py"}


def test_the_docstrings_claims_about_who_imports_what_hold():
    """Each "only … user" claim in a module docstring is checked by a test in this file; this keeps
    the claims and the checks in step."""
    claims = {
        "render.py": "the core's only rich user",
        "scoring.py": "The only module that imports rapidfuzz",
        "yamlfile.py": "the only users of yaml",
        "cli.py": "the three are the only typer\nusers",
    }
    for name, claim in claims.items():
        assert claim in (PACKAGE / name).read_text(encoding="utf-8"), name


def test_nothing_imports_the_cli():
    users = {p.name for p in PACKAGE.glob("*.py") if ".cli" in imported_names(p)}
    assert users <= {"fastpath.py"}


def test_the_public_api_lists_every_lazily_exported_name():
    import bpoterms

    assert set(bpoterms.__all__) == {"__version__", *bpoterms._EXPORTS}
    for name in bpoterms.__all__:
        assert getattr(bpoterms, name) is not None


def warm_console_script_run(tmp_path: Path, *args: str) -> tuple[str, set[str]]:
    """(stdout, modules loaded) of the console script's entry on its second run: the second is what
    users repeat. The cache folder is the test's own (the isolation fixture's copy of the session's
    compiled built-in glossary, which the first run would otherwise build); the first run writes the
    answers file."""
    code = (
        f"import sys; sys.argv = ['bpoterms', *{list(args)!r}]\n"
        "from bpoterms.fastpath import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\nMODULES', ' '.join(sys.modules))"
    )
    env = {"BPOTERMS_CACHE_DIR": os.environ["BPOTERMS_CACHE_DIR"], "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for _cold_then_warm in range(2):
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent, env=env
        )
    printed, modules = run.stdout.split("\nMODULES", 1)
    return printed, set(modules.split())


def test_the_fast_route_for_define_json_imports_neither_typer_rich_nor_yaml(tmp_path):
    _printed, loaded = warm_console_script_run(tmp_path, "define", "AHT", "--json")
    assert not {"typer", "rich", "yaml", "rapidfuzz"} & loaded


def test_version_is_printed_without_importing_typer_rich_or_the_glossary(tmp_path):
    printed, loaded = warm_console_script_run(tmp_path, "--version")
    assert printed.startswith("bpoterms ")
    assert not {"typer", "rich", "bpoterms.cli", "bpoterms.store", "_sqlite3"} & loaded


def package_import_graph() -> dict[str, frozenset[str]]:
    """module → the package modules it imports anywhere in its body (lazy imports included)."""
    return {
        path.stem: package_modules_imported_by(path.stem, path.read_text(encoding="utf-8"))
        for path in PACKAGE.glob("*.py")
    }


@functools.cache
def package_modules_imported_by(module: str, source: str) -> frozenset[str]:
    """Cached by the module's name and source text: each module is parsed once per session, not once per test."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found |= {alias.name for alias in node.names}
    return frozenset(found - {module})


def test_no_two_modules_import_each_other_even_lazily():
    graph = package_import_graph()
    pairs = {tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, frozenset())}
    assert pairs == set()


def test_the_reader_of_yaml_does_not_import_the_opener():
    assert "glossary" not in package_import_graph()["layers"]


def test_typer_commands_leave_core_errors_to_the_one_boundary():
    """cli.py catches BpotermsError in one place (the app's group) — plus shell completion, which
    must stay silent — instead of in every command."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    catching = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Name) and node.type.id == "BpotermsError"
    ]
    assert len(catching) == 2


CORE_LOGIC = (
    "model", "normalize", "scoring", "lookup", "paths", "yamlfile", "yamlload", "plainyaml", "layers", "validation",
    "store", "glossary", "explain", "quiz", "staffing", "quantities", "forecast", "calc",
)  # fmt: skip


@pytest.mark.parametrize("module", CORE_LOGIC)
def test_core_logic_neither_formats_text_nor_builds_json(module):
    """Text for people lives in plain.py/render.py, JSON documents in serialize.py; the core returns values."""
    assert not {"plain", "render", "serialize", "staff_serialize"} & package_import_graph()[module]


def test_one_atomic_writer_serves_exports_and_the_cache():
    graph = package_import_graph()
    assert "atomic" in graph["store"] and "atomic" in graph["export"]
    for module in ("store", "export"):
        source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
        assert "os.replace(" not in source and "mkstemp(" not in source, module


def test_a_module_over_400_lines_says_why_at_its_top():
    for path in PACKAGE.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > 400:
            docstring = ast.get_docstring(ast.parse(source)) or ""
            assert "Size:" in docstring, path.name


def test_the_readme_development_table_names_every_module():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Development") :].split("\n\n")[2]
    named = {cell.strip("`") for cell in table.replace(",", " ").split() if cell.endswith(".py`")}
    modules = {path.name for path in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert modules - named == set(), "modules the README's Development table leaves out"
    assert named - modules == set(), "modules the README's Development table names that do not exist"


def test_a_warm_define_on_the_full_route_imports_only_what_an_exact_lookup_needs(tmp_path):
    """`--brief` is never in the answers file, so this is the lookup every large glossary takes:
    no typing, pathlib, re (a third of Python's start-up; current installers' launchers do not
    import it either), YAML or CLI stack, and nothing of fuzzy matching (rapidfuzz, the name index)."""
    printed, loaded = warm_console_script_run(tmp_path, "define", "AHT", "--brief")
    assert "Average Handle Time" in printed
    unwanted = {"typing", "pathlib", "re", "rapidfuzz", "bpoterms.nameindex", "heapq", "yaml", "typer", "rich"}
    assert not unwanted & loaded


def test_a_warm_json_define_on_the_full_route_imports_neither_json_datetime_nor_contextlib(tmp_path):
    """`--sources` is never in the answers file: the JSON is laid out by serialize.py, the cache read
    through the SQLite extension alone (`import sqlite3` would add `datetime`)."""
    printed, loaded = warm_console_script_run(tmp_path, "define", "AHT", "--json", "--sources")
    assert json.loads(printed)["term"] == "Average Handle Time"
    assert "_sqlite3" in loaded
    assert not {"json", "sqlite3", "datetime", "contextlib"} & loaded


def test_a_define_panel_imports_rich_but_not_its_table_module(tmp_path):
    printed, loaded = warm_console_script_run(tmp_path, "define", "AHT", "--color", "always")
    assert "Average Handle Time" in printed and "\x1b[" in printed
    assert "rich.panel" in loaded
    assert "rich.table" not in loaded


def test_a_define_panel_reads_the_terminal_width_without_shutil_and_its_compression_modules(tmp_path):
    _printed, loaded = warm_console_script_run(tmp_path, "define", "AHT", "--color", "always")
    assert not {"shutil", "bz2", "lzma"} & loaded
