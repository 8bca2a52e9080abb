"""A failing notebook cell is reported once, as its lesson's line (nbval, xdist, Colab run).

A throw-away project with one tiny lesson whose claim is false runs the real conftest.py
and tests/test_colab.py under `pytest -n 2 --dist loadgroup`, as `make test` does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from test_build import FALSE

import sync

pytestmark = pytest.mark.build


def test_a_false_claim_is_reported_once_as_its_lesson_line(tmp_path):
    (tmp_path / "scripts").mkdir()
    for name in ("lessons.py", "sync.py"):
        shutil.copy(ROOT / "scripts" / name, tmp_path / "scripts")
    (tmp_path / "tests").mkdir()
    shutil.copy(ROOT / "conftest.py", tmp_path)
    shutil.copy(ROOT / "tests" / "test_colab.py", tmp_path / "tests")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\ntestpaths = tests book\n"
        "addopts = --nbval --nbval-current-env -p no:cacheprovider --tb=short\n"
        "markers =\n    colab: Colab-like run\n    site: needs the site\n")
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/example/course\n  branch: main\n")
    (tmp_path / "lessons_src").mkdir()
    (tmp_path / "lessons_src" / "01_tiny.md").write_text(FALSE)
    subprocess.run([sys.executable, "scripts/sync.py"], cwd=tmp_path, check=True,
                   capture_output=True)
    result = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist",
                             "loadgroup", "-v", "-rs", "-p", "no:randomly"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=600)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    line = next(k for k, l in enumerate(FALSE.splitlines(), 1) if "assert answer < 40" in l)
    assert f"lessons_src/01_tiny.md:{line}: AssertionError: the answer is not below 40" \
        in out, out
    assert "Cell execution caused an exception" not in out  # nbval's long report
    assert re.search(r"1 failed.*2 skipped", out), out  # the later cell, the Colab run
    assert "the lesson already failed its nbval run" in out
    workers = set(re.findall(r"\[(gw\d)\] .*01_tiny\.ipynb::Cell", out))
    assert len(workers) == 1, f"one notebook's cells ran on {workers}"
    assert len(sync.lesson_sources()) >= 1
