"""The book's sources and the lesson check (`make check`, scripts/check.py).

Every lesson passes every rule; each rule catches what it is meant to catch, at the right
line of the lesson; all problems come out in one run, in seconds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import pytest
import yaml
from conftest import ROOT

import check
import lessons
import sync

LESSONS = lessons.lesson_sources(editions=True)
WHERE = re.compile(r"^lessons_src/[\w/]+\.md:\d+: \S")


def test_there_are_lessons():
    assert len(sync.lesson_sources()) >= 1, "lessons_src/ has no NN_name.md lesson"


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: lessons.rel(p))
def test_lesson_follows_every_rule(source):
    problems = check.run([source])
    new, _ = check.split_known(problems, check.known_problems(), {lessons.rel(source)})
    assert not new, "make check:\n" + "\n".join(map(str, new))


def test_book_rules_and_known_problems_are_current():
    problems = check.run()
    new, _ = check.split_known(problems, check.known_problems(),
                               {lessons.rel(p) for p in LESSONS})
    assert not new, "make check:\n" + "\n".join(map(str, new))


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: lessons.rel(p))
def test_parser_finds_the_cells_jupytext_makes(source):
    """The line numbers every report uses come from the same cells as the notebook."""
    notebook = jupytext.read(source)
    parsed = lessons.parse(source)
    assert [(c.cell_type, c.source, dict(c.metadata)) for c in notebook.cells] == \
        [(c.kind, c.source, c.metadata) for c in parsed.cells]
    for cell in parsed.code_cells:
        first = cell.source.splitlines()[0] if cell.source else ""
        assert parsed.lines[cell.body_start - 1] == first


def test_install_url_comes_from_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text(yaml.safe_dump({"repository": {"url": "https://github.com/a/b/",
                                                     "branch": "dev"}}))
    assert sync.install_url(config) == "git+https://github.com/a/b@dev"


def test_make_check_reports_in_seconds():
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "scripts/check.py"], cwd=ROOT,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout + result.stderr
    assert "follow all" in result.stdout
    assert seconds < 20, f"make check took {seconds:.1f} s"


# --------------------------------------------------------------------------- a bad lesson

SETUP = '''```{code-cell} ipython3
:tags: [remove-cell]

try:
    import helpers
except ImportError:
    import subprocess, sys
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "URL"], check=True)
    import helpers
```
'''

FRONT = '''---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
'''

GOOD = FRONT + '''
# A good lesson

An {term}`autoencoder` reproduces its input {cite:p}`baldi1989`, $x \\approx \\tilde x$.

**What you'll learn**

- nothing

SETUP
```{code-cell} ipython3
import numpy as np
from helpers import glue

rng = np.random.default_rng(0)
value = glue("value", rng.normal())
steps = 300
```

The value is {glue:text}`value:.3f` after 300 steps, in lesson 3, seeds 0 to 19, in 1986.
The map is $4 \\to 2 \\to 4$. A deliberate 0.87 from the article. <!-- typed: 0.87 -->

## Summary

- done

## Exercises

EXERCISES'''

EXERCISE = '''
```{exercise}
:label: ex-LABEL

An exercise.
```

```{solution-start} ex-LABEL
:class: dropdown
```

```{code-cell} ipython3
assert 1 + 1 == 2
```

```{solution-end}
```
'''
GOOD = GOOD.replace("EXERCISES", "".join(EXERCISE.replace("LABEL", label)
                                         for label in "ab"))

BAD = FRONT + '''
# A bad lesson

It reproduces its input {term}`no such term`, {cite:p}`nobody2099`.

```{code-cell} ipython3
x = glue("shown_nowhere", 1.5) + 0.25 * 2  # this visible line is much longer than seventy-two characters
```

The loss is about 0.042, and {glue:text}`never_glued:.3f`.

```{code-cell} ipython3
---
mystnb:
  figure:
    caption: A curve that ends at 0.63.
  image:
    alt: A line falling to about 73 percent.
---
print(x)
```

## Exercises

```{exercise}
One, without a label.
```

```{solution-start} ex-none
```

```{code-cell} ipython3
print("no assert")
```
'''


@pytest.fixture
def book(tmp_path, monkeypatch):
    """A throw-away repository with the real config, glossary and bibliography."""
    for name in ("_config.yml",):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nparts:\n"
                                       "  - caption: Lessons\n    chapters:\n"
                                       "      - file: book/01_good\n")
    (tmp_path / "book").mkdir()
    (tmp_path / "lessons_src").mkdir()
    for name in ("glossary.md", "references.bib"):
        shutil.copy(ROOT / "book" / name, tmp_path / "book" / name)
    monkeypatch.setattr(lessons, "ROOT", tmp_path)
    monkeypatch.setattr(lessons, "SOURCES", tmp_path / "lessons_src")
    monkeypatch.setattr(lessons, "BOOK", tmp_path / "book")
    monkeypatch.setattr(check, "ROOT", tmp_path)
    url = sync.install_url(tmp_path / "_config.yml")

    def write(name: str, text: str, notebook: bool = True) -> Path:
        source = tmp_path / "lessons_src" / name
        source.write_text(text.replace("SETUP", SETUP).replace("URL", url))
        if notebook:
            import nbformat

            target = lessons.notebook_for(source)
            target.write_text(nbformat.writes(sync.to_notebook(source)) + "\n")
        return source

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path, write


def _run(root, source):
    return check.run([source], book=check.Book(root))


def test_a_good_lesson_passes(book):
    root, write = book
    source = write("01_good.md", GOOD)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    problems = _run(root, source)
    assert problems == [], "\n".join(map(str, problems))


def test_every_broken_rule_is_reported_at_once_with_its_line(book):
    root, write = book
    source = write("02_bad.md", BAD, notebook=False)
    problems = _run(root, source)
    text = "\n".join(map(str, problems))
    rules = {p.rule for p in problems}
    assert rules >= {"setup-cell", "sync", "code-width", "shape", "exercises", "glossary",
                     "citation", "figure", "toc", "tracked", "glue", "typed-number"}, text
    for problem in problems:
        assert WHERE.match(str(problem)), problem
    lines = lessons.parse(source).lines

    def line_of(fragment):
        return next(k for k, l in enumerate(lines, 1) if fragment in l)

    by_rule = {p.rule: p for p in problems}
    assert by_rule["code-width"].line == line_of("much longer than")
    assert f":{line_of('about 0.042')}: 0.042 is typed into the prose" in text
    assert "0.63 is typed into a caption or alt text" in text
    assert "73 is typed into a caption or alt text" in text
    assert "glue key 'never_glued' is shown but never glued" in text
    assert f":{line_of('shown_nowhere')}: glue('shown_nowhere', ...) is never shown" in text
    assert "no such term" in text and "nobody2099" in text
    assert "book/02_bad.ipynb is missing: run `make sync`" in text
    assert "is not in _toc.yml" in text and "git add" in text
    assert "1 exercise(s)" in text and "without `:label:" in text
    assert "`:class: dropdown`" in text and "without a {solution-end}" in text
    assert "no math" in text


def test_a_stale_notebook_shows_the_changed_lines_not_the_cell(book):
    root, write = book
    source = write("01_good.md", GOOD)
    edited = GOOD.replace("steps = 300", "steps = 400")
    source.write_text(edited.replace("SETUP", SETUP).replace(
        "URL", sync.install_url(root / "_config.yml")))
    (problem,) = [p for p in _run(root, source) if p.rule == "sync"]
    line = next(k for k, l in enumerate(source.read_text().splitlines(), 1)
                if l == "steps = 400")
    assert problem.line == line
    assert problem.detail == (f"lessons_src/01_good.md:{line}", "- steps = 300",
                              "+ steps = 400")
    assert "out of date" in problem.message and "make sync" in problem.message


def test_an_orphan_notebook_is_reported(book):
    root, write = book
    (root / "book" / "03_lost.ipynb").write_text("{}")
    problems = [p for p in check.run(None, book=check.Book(root)) if p.rule == "orphan-notebook"]
    assert problems and problems[0].path == "book/03_lost.ipynb"


@pytest.mark.parametrize("sentence, typed", [
    ("The loss is 0.042.", ["0.042"]),
    ("It takes 1e-6 of the time.", ["1e-6"]),
    ("Over 40 trained networks.", ["40"]),
    ("See lesson 3 and Fig. 4.1, lessons 1 and 3, seeds 100-139.", []),
    ("Eckart and Young (1936) showed it.", []),
    ("In $4 \\to 2 \\to 4$ and $\\lambda_1$, $10^{-7}$.", []),
    ("Math hides no result: $\\lambda_1 = 2.918$.", ["2.918"]),
    ("A 32-bit float and a 2-D plot.", []),
    ("We train for 300 steps.", []),          # 300 is in the code
    ("The article's 0.87 <!-- typed: 0.87 --> is one draw.", []),
    ("The value {glue:text}`value:.3f` and `x = 0.5` in code.", []),
])
def test_typed_number_rule(book, sentence, typed):
    root, write = book
    source = write("01_good.md", GOOD.replace("## Summary", sentence + "\n\n## Summary"))
    found = sorted(p.key for p in _run(root, source) if p.rule == "typed-number")
    assert found == sorted(typed)


def test_known_problems_do_not_fail_but_must_be_deleted_once_fixed():
    problem = check.Problem("lessons_src/09_x.md", 3, "0.5 is typed", rule="typed-number",
                            key="0.5")
    known = {("lessons_src/09_x.md", "typed-number", "0.5"),
             ("lessons_src/09_x.md", "glue", "gone")}
    new, old = check.split_known([problem], known, {"lessons_src/09_x.md"})
    assert old == [problem]
    assert len(new) == 1 and "glue gone is fixed: delete this line" in new[0].message


def test_rules_can_be_plugged_in(book):
    root, write = book
    source = write("01_good.md", GOOD)

    @check.rule("test-only", "a rule added by another module")
    def test_only(lesson, book_):
        yield check.Problem(lesson.name, 1, "plugged in")

    try:
        assert any(p.rule == "test-only" for p in _run(root, source))
    finally:
        del check.RULES["test-only"]


def test_the_readme_lists_every_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### The lesson rules", 1)[1].split("\n\n**", 1)[0]
    for name in check.RULES:
        assert f"| `{name}` |" in table, f"README's rule table lacks {name}"
