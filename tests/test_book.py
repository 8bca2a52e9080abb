"""The book's sources: notebooks in sync with lessons, setup cells, table of contents."""

from __future__ import annotations

import re
import subprocess

import jupytext
import nbformat
import pytest
import yaml
from conftest import ROOT

import sync

LESSONS = sync.lesson_sources()
FIX = "run `make sync` to regenerate it"


def _cells(nb):
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", [])))
            for c in nb.cells]


def test_there_are_lessons():
    assert len(LESSONS) >= 1, "lessons_src/ has no NN_name.md lesson"


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.name)
def test_notebook_matches_its_source(source):
    target = sync.notebook_for(source)
    rel = target.relative_to(ROOT)
    assert target.exists(), f"{rel} is missing: {FIX}"
    committed = nbformat.read(target, as_version=4)
    assert _cells(committed) == _cells(jupytext.read(source)), \
        f"{rel} differs from lessons_src/{source.name}: {FIX}"


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.name)
def test_notebook_has_no_outputs(source):
    nb = nbformat.read(sync.notebook_for(source), as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, \
                f"{sync.notebook_for(source).name} cell {i} has outputs: {FIX}"


def test_every_notebook_has_a_source():
    sources = {p.stem for p in LESSONS}
    for nb in sorted((ROOT / "book").glob("*.ipynb")):
        assert nb.stem in sources, f"book/{nb.name} has no lessons_src/{nb.stem}.md"


def test_every_lesson_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    files = set(re.findall(r"file:\s*(\S+)", toc))
    for source in LESSONS:
        assert f"book/{source.stem}" in files, f"book/{source.stem} is not in _toc.yml"


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.name)
def test_setup_cell_installs_from_the_configured_repository(source):
    nb = nbformat.read(sync.notebook_for(source), as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "remove-cell" in first.metadata.get("tags", []), "setup cell must be hidden"
    assert "import helpers" in first.source and "except ImportError" in first.source
    assert f'"{sync.install_url()}"' in first.source, (
        f"the setup cell of {source.name} does not install {sync.install_url()}: "
        "run `make sync` after changing the repository in _config.yml")


def test_install_url_comes_from_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text(yaml.safe_dump({"repository": {"url": "https://github.com/a/b/",
                                                     "branch": "dev"}}))
    assert sync.install_url(config) == "git+https://github.com/a/b@dev"


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.name)
def test_visible_code_fits_the_page(source):
    """Visible code lines longer than 72 characters are cut off on the site."""
    for i, cell in enumerate(jupytext.read(source).cells):
        if cell.cell_type != "code" or "remove-cell" in cell.metadata.get("tags", []):
            continue
        for line in cell.source.splitlines():
            assert len(line) <= 72, f"{source.name} cell {i}: line too long: {line!r}"


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.name)
def test_lesson_has_the_course_shape(source):
    text = source.read_text(encoding="utf-8")
    for part in ("**What you'll learn**", "## Summary", "## Exercises", "{solution-start}"):
        assert part in text, f"{source.name} lacks {part}"
    assert "torch.manual_seed" in text or "seed=" in text, f"{source.name} is not seeded"


def test_committed_notebooks_are_tracked_by_git():
    tracked = subprocess.run(["git", "ls-files", "book"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    for source in LESSONS:
        assert f"book/{source.stem}.ipynb" in tracked, f"book/{source.stem}.ipynb is not committed"
