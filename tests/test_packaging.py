"""The project installs as one package with one version, and its documentation stands alone.

`make` installs the checkout editable (``pip install -e . --no-deps`` after the requirements files),
so these tests read the installed metadata of that install.
"""

import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import scoring
from tests.helpers import ROOT

DIST = "ai-startup-navigator"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TOP_LEVEL = ("scoring", "presentation", "reports", "workshop", "cli", "dashboard")
# The markdown a user reads: the README, the model card and the benchmark notes.
USER_MARKDOWN = sorted([ROOT / "README.md", ROOT / "benchmarks" / "README.md", *(ROOT / "docs").glob("*.md")])


def requirement_lines(name: str) -> list[str]:
    """The requirement specifiers of a requirements file, without comments, blank lines or ``-r`` includes."""
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / name).read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("-")]


@pytest.fixture(scope="module")
def dist():
    try:
        return metadata.distribution(DIST)
    except metadata.PackageNotFoundError:
        pytest.fail(f"{DIST} is not installed in this environment: run `make test` (or `pip install -e . --no-deps`)")


def test_installed_version_is_the_one_version(dist):
    assert dist.version == scoring.__version__
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "scoring.__version__"}
    assert "version" not in PYPROJECT["project"]  # written once, in scoring/__init__.py


def test_the_install_is_this_checkout(tmp_path):
    """Outside the checkout, with nothing on PYTHONPATH, the packages import from this checkout."""
    code = "import importlib, sys; print('\\n'.join(importlib.import_module(n).__file__ for n in sys.argv[1:]))"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", code, *TOP_LEVEL], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert [Path(line).resolve().parent for line in done.stdout.splitlines()] == [ROOT / name for name in TOP_LEVEL]


def test_the_console_script_is_declared(dist):
    (entry,) = [ep for ep in dist.entry_points if ep.group == "console_scripts" and ep.name == "ai-navigator"]
    assert entry.value == "cli:run"
    assert callable(entry.load())


def test_the_console_script_passes_the_exit_code_on():
    script = Path(sys.executable).parent / "ai-navigator"
    if not script.exists():
        pytest.skip(f"no {script}: the project is not installed into this interpreter's environment")
    preset = ROOT / "data" / "presets" / "medical_diagnosis.json"
    done = subprocess.run([script, "evaluate", preset], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"risk"' in done.stdout
    missing = subprocess.run([script, "evaluate", ROOT / "nope.json"], capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1


def test_dependencies_are_the_requirements_files():
    project = PYPROJECT["project"]
    assert project["dependencies"] == requirement_lines("requirements.txt")
    assert project["optional-dependencies"]["dev"] == requirement_lines("requirements-dev.txt")
    assert (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines().count("-r requirements.txt") == 1


def test_every_package_folder_is_listed():
    """Packages are listed by hand (tests/ and benchmarks/ stay out); a new sub-folder must be added."""
    found = {
        ".".join(folder.relative_to(ROOT).parts)
        for name in TOP_LEVEL
        for folder in [ROOT / name, *(ROOT / name).rglob("*")]
        if folder.is_dir() and any(folder.glob("*.py"))
    }
    assert sorted(PYPROJECT["tool"]["setuptools"]["packages"]) == sorted(found)


def test_no_stray_files_in_the_root():
    assert not [path.name for path in ROOT.glob("*.whl")]


# --- links -------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
_CODE = re.compile(r"`[^`\n]*`")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML_LINK = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _prose(text: str) -> str:
    """The markdown without code: a path in a code block or a code span is not a link."""
    return _CODE.sub("", _FENCE.sub("", text))


def links(text: str) -> list[str]:
    prose = _prose(text)
    return [*_INLINE_LINK.findall(prose), *_REFERENCE_LINK.findall(prose), *_HTML_LINK.findall(prose)]


def anchors(text: str) -> list[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""
    seen: dict[str, int] = {}
    ids = []
    for heading in _HEADING.findall(_FENCE.sub("", text)):
        heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading keeps its text
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        ids.append(slug if count == 0 else f"{slug}-{count}")
    return ids


def test_the_link_checker_reads_markdown():
    text = '# Title\n\n[x](a.md#b "t") ![y\nz](p.png) `[no](c.md)`\n```\n[no](d.md)\n```\n[r]: e.md\n'
    assert links(text) == ["a.md#b", "p.png", "e.md"]
    assert anchors("# A title: one\n## Two\n## Two\n## `code` and [a link](x.md)\n") == [
        "a-title-one",
        "two",
        "two-1",
        "code-and-a-link",
    ]


def resolves(page: Path, target: str) -> bool:
    """A relative link names a file inside the repository (and, into markdown, one of its headings)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # https:, mailto: ... are not ours to check
        return True
    path, _, fragment = target.partition("#")
    resolved = (page.parent / path).resolve() if path else page
    if not resolved.is_relative_to(ROOT) or not resolved.exists():
        return False
    return not (fragment and resolved.suffix == ".md") or fragment in anchors(resolved.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", USER_MARKDOWN, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(page):
    assert page.exists()
    assert [target for target in links(page.read_text(encoding="utf-8")) if not resolves(page, target)] == []


@pytest.mark.parametrize("page", USER_MARKDOWN, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_reference_outside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    assert "../shared" not in text
    assert "DESIGN.md" not in text
