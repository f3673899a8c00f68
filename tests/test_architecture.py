"""The layers hold: every import of every module, read from its source, runs downward only.

The contract (README, "Layout"):

- ``scoring`` is the pure core: it imports only itself (and the standard library and third-party
  libraries, never streamlit or plotly), not even lazily inside a function.
- ``workshop`` (rooms in a database, the group view) is beside the core: scoring only.
- ``presentation`` (words and charts, no Streamlit) reads results: scoring, and the workshop's
  group-view results (``workshop.aggregate``); never dashboard, reports, cli or streamlit.
- ``reports`` (the offline HTML / PDF) draws with presentation: scoring and presentation.
- ``cli`` is the command line's composition root: anything but dashboard and streamlit.
- ``dashboard`` (the Streamlit app) is the only package that imports streamlit; it is the other
  composition root and imports anything but cli.
- ``benchmarks`` and ``tests`` are imported by nothing but each other (the latency benchmark drives
  the browser with ``tests/browser.py``).

One file is exempt, and only from one rule: ``scoring/__main__.py`` is the program run by
``python -m scoring``, never imported by the library (``import scoring`` does not load it), so it
may import ``cli`` to run the command line; everything else it imports follows scoring's rules.

The check reads the AST (every ``import x`` and ``from x import y`` anywhere in a module, inside
functions too; relative imports resolved; ``importlib.import_module("x")`` with a literal name),
so an import that a test run never executes is caught all the same. A runtime check below adds
what the AST cannot see: what the report path actually loads.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import ROOT

LAYERED = ("scoring", "workshop", "presentation", "reports", "cli", "dashboard")
PROJECT = {*LAYERED, "benchmarks", "tests"}
UI_LIBRARIES = {"streamlit", "plotly"}

# package -> the project modules it may import (a name covers its submodules); itself is always allowed
MAY_IMPORT = {
    "scoring": set(),
    "workshop": {"scoring"},
    "presentation": {"scoring", "workshop.aggregate"},
    "reports": {"scoring", "presentation"},
    "cli": {"scoring", "workshop", "presentation", "reports"},
    "dashboard": {"scoring", "workshop", "presentation", "reports"},
}
# package -> third-party libraries it must not import
MUST_NOT_IMPORT = {
    "scoring": {"streamlit", "plotly"},
    "workshop": {"streamlit", "plotly"},
    "presentation": {"streamlit"},
    "reports": {"streamlit"},
    "cli": {"streamlit"},
    "dashboard": set(),
}
# file -> (imported module, why): the only exceptions
EXEMPT = {
    "scoring/__main__.py": (
        "cli",
        "the program run by `python -m scoring`: never imported by the library, it starts the command line",
    ),
}


@dataclass(frozen=True)
class Import:
    path: str  # the importing file, relative to the checkout
    line: int
    module: str  # the imported module, absolute and dotted
    names: tuple[str, ...] = ()  # of `from module import a, b`: each may be a submodule (module.a)

    def within(self, allowed: str) -> bool:
        """Whether this import stays inside ``allowed`` (a module and its submodules): ``from pkg
        import sub`` is inside ``pkg.sub`` when that is what it names."""
        if covers(allowed, self.module):
            return True
        return bool(self.names) and all(covers(allowed, f"{self.module}.{name}") for name in self.names)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, module: str, is_package: bool, path: str = "<string>") -> list[Import]:
    """Every module ``source`` imports, wherever the import statement sits."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package, one level up per extra dot
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)] if node.level > 1 else anchor
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.append(Import(path, node.lineno, base, tuple(alias.name for alias in node.names)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(Import(path, node.lineno, node.args[0].value))
    return found


def project_modules(root: Path = ROOT) -> dict[str, list[Path]]:
    """Every Python file of each layered package."""
    return {name: sorted((root / name).rglob("*.py")) for name in LAYERED if (root / name).is_dir()}


def covers(allowed: str, module: str) -> bool:
    return module == allowed or module.startswith(allowed + ".")


def violations(root: Path = ROOT) -> list[str]:
    """Every import that breaks the rules, as "file:line imports module (why)"."""
    found = []
    for package, paths in project_modules(root).items():
        for path in paths:
            relative = path.relative_to(root).as_posix()
            name = module_name(path, root)
            for imported in imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py", relative):
                top = imported.module.split(".")[0]
                where = f"{relative}:{imported.line} imports {imported.module}"
                exempt = EXEMPT.get(relative)
                if exempt and imported.within(exempt[0]):
                    continue
                if top in PROJECT and top != package:
                    if top in {"benchmarks", "tests"}:
                        found.append(f"{where} (only tests and benchmarks import {top})")
                    elif not any(imported.within(allowed) for allowed in MAY_IMPORT[package]):
                        found.append(f"{where} ({package} may import only {sorted(MAY_IMPORT[package]) or 'itself'})")
                elif top in MUST_NOT_IMPORT[package]:
                    found.append(f"{where} ({package} never imports {top})")
    return sorted(set(found))


# --- the checker reads what it must ---------------------------------------------------------------


def test_the_checker_sees_lazy_relative_and_dynamic_imports():
    source = textwrap.dedent(
        """
        import os, scoring.risk as risk
        from . import sibling
        from ..up import thing
        from .local import name

        def later():
            from reports import build_report
            import plotly.graph_objects

        class Late:
            def method(self):
                importlib.import_module("dashboard.figures")
        """
    )
    found = [(i.line, i.module, i.names) for i in imports_of(source, "scoring.sub.mod", is_package=False)]
    assert found == [
        (2, "os", ()),
        (2, "scoring.risk", ()),
        (3, "scoring.sub", ("sibling",)),
        (4, "scoring.up", ("thing",)),
        (5, "scoring.sub.local", ("name",)),
        (8, "reports", ("build_report",)),
        (9, "plotly.graph_objects", ()),
        (13, "dashboard.figures", ()),
    ]
    # in a package's __init__, "." is the package itself
    assert [i.module for i in imports_of("from .pdf import x", "reports", is_package=True)] == ["reports.pdf"]
    # `from pkg import sub` stays inside pkg.sub; `from pkg import a, b` only if both are inside
    assert Import("x", 1, "workshop", ("aggregate",)).within("workshop.aggregate")
    assert not Import("x", 1, "workshop", ("aggregate", "store")).within("workshop.aggregate")


def test_the_checker_flags_a_lazy_import_upward(tmp_path):
    (tmp_path / "scoring").mkdir()
    (tmp_path / "scoring" / "__init__.py").write_text("")
    (tmp_path / "scoring" / "verb.py").write_text("def run():\n    from reports import build_report\n")
    (tmp_path / "scoring" / "__main__.py").write_text("from cli import run\n")
    (tmp_path / "workshop").mkdir()
    (tmp_path / "workshop" / "view.py").write_text("import streamlit as st\nfrom presentation import charts\n")
    (tmp_path / "presentation").mkdir()
    (tmp_path / "presentation" / "words.py").write_text("from workshop import aggregate\nfrom workshop import store\n")
    assert violations(tmp_path) == [
        "presentation/words.py:2 imports workshop (presentation may import only ['scoring', 'workshop.aggregate'])",
        "scoring/verb.py:2 imports reports (scoring may import only itself)",
        "workshop/view.py:1 imports streamlit (workshop never imports streamlit)",
        "workshop/view.py:2 imports presentation (workshop may import only ['scoring'])",
    ]


def test_every_layer_is_read():
    modules = project_modules()
    assert set(modules) == set(LAYERED)
    assert all(modules[name] for name in LAYERED)


# --- the contract ----------------------------------------------------------------------------------


def test_imports_run_downward_only():
    assert violations() == []


# what a chart module may take from the core: result types (classes) and calendar arithmetic for labels
CHART_HELPERS = {"calendar_month"}


def test_chart_builders_take_results_and_run_no_model():
    """Figure builders import result types from scoring, never a function that computes (evaluate,
    simulate, sensitivity, summarise ...): every number drawn arrives as a result."""
    found = []
    for path in sorted((ROOT / "presentation" / "charts").rglob("*.py")):
        for imported in imports_of(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py"):
            if imported.module.split(".")[0] != "scoring":
                continue
            computing = [n for n in imported.names if not n[0].isupper() and n not in CHART_HELPERS]
            if not imported.names or computing:
                found.append(f"{path.relative_to(ROOT)}:{imported.line} imports {imported.module} {computing}")
    assert found == []


def test_only_the_entry_point_is_exempt_and_the_library_never_loads_it():
    assert list(EXEMPT) == ["scoring/__main__.py"]
    for path in (ROOT / "scoring").rglob("*.py"):
        if path.name != "__main__.py":
            modules = [i.module for i in imports_of(path.read_text(encoding="utf-8"), module_name(path), False)]
            assert "scoring.__main__" not in modules, path


# --- what actually loads ---------------------------------------------------------------------------


def loaded_after(code: str) -> set[str]:
    """The top-level names in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = code + "\nimport sys\nprint(','.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.strip().splitlines()[-1].split(","))


def test_the_core_loads_nothing_above_it():
    loaded = loaded_after(
        "import importlib, pkgutil, scoring\n"
        "for info in pkgutil.walk_packages(scoring.__path__, 'scoring.'):\n"
        "    if info.name != 'scoring.__main__':\n"
        "        importlib.import_module(info.name)\n"
        "scenario = scoring.load_preset('medical_diagnosis')\n"
        "scoring.evaluate(scenario)\n"
        "from scoring.compare import summarise\n"
        "summarise(scenario)\n"
    )
    assert loaded & (UI_LIBRARIES | PROJECT) == {"scoring"}


def test_the_report_verb_loads_no_streamlit_and_no_dashboard(tmp_path):
    out = tmp_path / "r.html"
    preset = ROOT / "data" / "presets" / "medical_diagnosis.json"
    loaded = loaded_after(f"from cli import main\nassert main(['report', {str(preset)!r}, '--out', {str(out)!r}]) == 0")
    assert out.exists()
    assert "streamlit" not in loaded and "dashboard" not in loaded
    assert {"scoring", "presentation", "reports", "cli", "plotly"} <= loaded
