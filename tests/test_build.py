"""The build never reports a failing lesson as built, and says where the lesson fails.

A throw-away book with one tiny lesson (no torch: a few seconds a build) is built with
the project's own build script and Sphinx extension: with a false claim, twice (the second
time everything is cached), then fixed; and once more in CI mode with a stale notebook.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_book import FRONT

pytestmark = pytest.mark.build

LESSON = FRONT + '''
# A tiny lesson

```{code-cell} ipython3
:tags: [remove-cell]

INSTALL = "git+https://github.com/example/course@main"
```

```{code-cell} ipython3
from myst_nb import glue

answer = 6 * 7
glue("answer", answer)
```

The answer is {glue:text}`answer`, which is BOUND.

```{code-cell} ipython3
:tags: [remove-cell]

assert CLAIM, "the answer is not BOUND"
```

```{code-cell} ipython3
later = answer + 1
glue("later", later)
```

And one more is {glue:text}`later`.
'''

FALSE = LESSON.replace("BOUND", "below 40").replace("CLAIM", "answer < 40")
TRUE = LESSON.replace("BOUND", "below 50").replace("CLAIM", "answer < 50")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tiny-book")
    (root / "scripts").mkdir()
    for name in ("lessons.py", "sync.py", "check.py", "build.py"):
        shutil.copy(ROOT / "scripts" / name, root / "scripts" / name)
    (root / "book" / "_ext").mkdir(parents=True)
    shutil.copy(ROOT / "book" / "_ext" / "build_guard.py", root / "book" / "_ext")
    (root / "book" / "intro.md").write_text("# Intro\n\nA tiny book.\n")
    (root / "lessons_src").mkdir()
    (root / "_config.yml").write_text(
        "title: Tiny\nonly_build_toc_files: true\n"
        "repository:\n  url: https://github.com/example/course\n  branch: main\n"
        "exclude_patterns: [_build, lessons_src, scripts]\n"
        "execute:\n  execute_notebooks: cache\n  timeout: 60\n"
        "sphinx:\n  local_extensions:\n    build_guard: book/_ext\n")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/intro\n"
                                   "chapters:\n  - file: book/01_tiny\n")
    return root


def build(root: Path, ci: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "scripts/build.py"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def _line(root: Path, text: str) -> int:
    lines = (root / "lessons_src" / "01_tiny.md").read_text().splitlines()
    return next(k for k, line in enumerate(lines, 1) if text in line)


def _check_failed(root: Path, result: subprocess.CompletedProcess) -> None:
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    where = f"lessons_src/01_tiny.md:{_line(root, 'assert answer < 40')}"
    assert f"{where}: WARNING: AssertionError: the answer is not below 40" in out, out
    assert "assert answer < 40" in out
    # reported once, without the warnings that only follow from it (the glue key
    # `later` of a cell that never ran) and without kernel or configuration noise
    assert len(re.findall(r"WARNING", out)) == 1, out
    assert "IPKernelApp" not in out and "ParserConfig" not in out, out
    assert "build finished with problems" in out
    page = (root / "_build" / "html" / "book" / "01_tiny.html").read_text()
    assert "not built" in page and "which is below 40" not in page


def test_a_false_claim_fails_every_build_and_leaves_no_page(tiny):
    (tiny / "lessons_src" / "01_tiny.md").write_text(FALSE)
    first = build(tiny)  # syncs the notebook first: no `make sync` needed
    assert "wrote book/01_tiny.ipynb" in first.stdout
    assert (tiny / "book" / "01_tiny.ipynb").exists()
    _check_failed(tiny, first)
    second = build(tiny)  # nothing changed: a cached rerun must not pass
    _check_failed(tiny, second)

    (tiny / "lessons_src" / "01_tiny.md").write_text(TRUE)
    fixed = build(tiny)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "build succeeded" in fixed.stdout
    assert "make serve" in fixed.stdout and "http://localhost:8000" in fixed.stdout
    page = (tiny / "_build" / "html" / "book" / "01_tiny.html").read_text()
    assert "which is below 50" in page and "not built" not in page
    again = build(tiny)  # cached: nothing is executed
    assert again.returncode == 0 and "executing" not in again.stdout


def test_in_ci_a_stale_notebook_is_refused_with_its_changed_lines(tiny):
    source = tiny / "lessons_src" / "01_tiny.md"
    source.write_text(TRUE)
    subprocess.run([sys.executable, "scripts/sync.py"], cwd=tiny, check=True)
    source.write_text(TRUE.replace("answer + 1", "answer + 2"))
    try:
        result = build(tiny, ci=True)
        assert result.returncode == 1
        line = _line(tiny, "answer + 2")
        assert f"lessons_src/01_tiny.md:{line}: book/01_tiny.ipynb is out of date" \
            in result.stderr, result.stderr
        assert "- later = answer + 1" in result.stderr
        assert "+ later = answer + 2" in result.stderr
        assert "glue(" not in result.stderr  # the changed line, not the cell around it
    finally:
        source.write_text(TRUE)
