"""The lesson check: every rule a lesson must follow, checked in seconds, without a kernel.

Usage:  python scripts/check.py [LESSON ...]     (or `make check`)

LESSON is a path (lessons_src/04_pca.md) or a prefix (04, 04_pca, ja/04); none means every
lesson. Every broken rule of every lesson is printed in one run, each as

    lessons_src/NN_name.md:LINE: what is wrong and how to fix it

and the exit status is 1 if there was any. The rules are listed in README.md ("The lesson
rules") and in `python scripts/check.py --rules`.

Adding a rule: write a function `(lesson, book) -> iterable of Problem` and decorate it
with `@rule("name", "one line for the README")`, here or in a module
`scripts/check_<topic>.py`, which is imported automatically (for example the Japanese
edition's parity rules in scripts/check_ja.py). `lesson` is a parsed `lessons.Lesson`;
`book` gives the things rules share (table of contents, git's tracked files, glossary
terms, bibliography keys). A rule with `scope="book"` is called once as `(book)`.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import importlib
import io
import re
import subprocess
import sys
import tokenize
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import lessons  # noqa: E402
from lessons import ROOT, Lesson, rel  # noqa: E402

MAX_WIDTH = 72
MIN_EXERCISES = 2
MODEL = "lessons_src/01_basic_form.md"


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    rule: str = ""
    detail: tuple[str, ...] = ()
    key: str = ""  # what a known-problems entry names: the number, the glue key

    def __str__(self) -> str:
        head = f"{self.path}:{self.line}: {self.message}"
        return "\n".join([head] + [f"    {d}" for d in self.detail])


@dataclasses.dataclass
class Rule:
    name: str
    summary: str
    func: Callable
    scope: str = "lesson"


RULES: dict[str, Rule] = {}


def rule(name: str, summary: str, scope: str = "lesson"):
    """Register a rule: `@rule("width", "visible code lines are at most 72 characters")`."""
    def register(func):
        RULES[name] = Rule(name, summary, func, scope)
        return func
    return register


# --------------------------------------------------------------------------- shared facts


class Book:
    """What several rules need, computed once per run."""

    def __init__(self, root: Path = ROOT):
        self.root = root

    @cached_property
    def install_url(self) -> str:
        import sync

        return sync.install_url(self.root / "_config.yml")

    @cached_property
    def tracked(self) -> set[str] | None:
        """Files git tracks, or None outside a git checkout."""
        result = subprocess.run(["git", "ls-files", "-z"], cwd=self.root,
                                capture_output=True, text=True)
        if result.returncode != 0:
            return None
        return set(filter(None, result.stdout.split("\0")))

    @cached_property
    def toc_files(self) -> list[Path]:
        found = sorted(self.root.glob("_toc*.yml")) + sorted((self.root / "book").rglob("_toc*.yml"))
        return [p for p in found if "_build" not in p.parts]

    def toc_entries(self, toc: Path) -> set[str]:
        text = toc.read_text(encoding="utf-8")
        return {re.sub(r"\.(ipynb|md)$", "", e.strip("'\""))
                for e in re.findall(r"(?:file|root):\s*(\S+)", text)}

    @cached_property
    def glossary_terms(self) -> set[str]:
        terms: set[str] = set()
        for path in [self.root / "book" / "glossary.md",
                     *sorted((self.root / "book").glob("*/glossary.md"))]:
            if not path.exists():
                continue
            inside = False
            for line in path.read_text(encoding="utf-8").splitlines():
                if re.match(r"^(`{3,}|:{3,})\{glossary\}", line):
                    inside = True
                elif inside and re.match(r"^(`{3,}|:{3,})\s*$", line):
                    inside = False
                elif inside and line.strip() and not line[0].isspace() and not line.startswith(":"):
                    terms.add(line.strip().lower())
        return terms

    @cached_property
    def bib_keys(self) -> set[str]:
        keys: set[str] = set()
        for bib in sorted((self.root / "book").rglob("*.bib")):
            keys |= set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8")))
        return keys


# --------------------------------------------------------------------------- text helpers

ROLE = re.compile(r"\{(?P<role>[\w:.-]+)\}(?P<tick>`+)(?P<body>.*?)(?P=tick)", re.S)
INLINE = re.compile("|".join([
    r"(?P<comment><!--.*?-->)",
    r"(?P<role>\{[\w:.-]+\}(?P<tick>`+).*?(?P=tick))",
    r"(?P<code>(?P<ticks>`+).*?(?P=ticks))",
    r"(?P<math>\$\$.*?\$\$|(?<![\\$])\$(?=\S)(?:[^$\n]|\n(?![ \t]*\n))+?(?<![\\\s])\$"
    r"|\\\(.*?\\\)|\\\[.*?\\\]|\\begin\{(?P<env>\w+\*?)\}.*?\\end\{(?P=env)\})",
    r"(?P<link>\]\([^)]*\)|<https?://[^>\s]*>|https?://\S+)",
]), re.S)
DIRECTIVE = re.compile(r"^(?P<fence>`{3,}|:{3,}|~{3,})\{(?P<name>[\w:.-]+)\}(?P<arg>.*)$")


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _roles(lesson: Lesson) -> Iterator[tuple[str, str, int]]:
    """(role, body, line) of every MyST role in the markdown and in figure captions."""
    text = _prose_layer(lesson, keep_roles=True)
    for match in ROLE.finditer(text):
        yield match.group("role"), match.group("body"), _line_at(text, match.start())


def _figure_text_spans(lesson: Lesson) -> list[tuple[int, int, int]]:
    """(first line, last line, key indent) of each caption:/alt: value in cell options."""
    spans = []
    for cell in lesson.code_cells:
        if not cell.meta_start or not cell.meta_lines:
            continue
        meta = cell.meta_lines
        for k, line in enumerate(meta):
            match = re.match(r"^(\s*)(caption|alt):", line)
            if not match:
                continue
            indent = len(match.group(1))
            end = k
            while end + 1 < len(meta) and (not meta[end + 1].strip() or
                                          len(meta[end + 1]) - len(meta[end + 1].lstrip()) > indent):
                end += 1
            spans.append((cell.meta_start + k, cell.meta_start + end, indent))
    return spans


def _prose_layer(lesson: Lesson, keep_roles: bool = False, keep_math: bool = False) -> str:
    """The lesson's text with everything but prose (markdown, captions, alt text) blanked.

    Offsets and line numbers are those of the file. Code cells, front matter, directive
    fences and options, HTML comments, inline code and link targets are blanked; so are
    roles (unless keep_roles) and math (unless keep_math).
    """
    lines = list(lesson.lines)
    keep = [False] * len(lines)
    for cell in lesson.cells:
        if cell.kind == "markdown":
            n = cell.source.count("\n") + 1
            for k in range(cell.start - 1, cell.start - 1 + n):
                keep[k] = True
    for first, last, _ in _figure_text_spans(lesson):
        for k in range(first - 1, last):
            keep[k] = True
        lines[first - 1] = re.sub(r"^(\s*)(caption|alt):(\s*[>|][-+]?)?",
                                  lambda m: " " * len(m.group(0)), lines[first - 1])
    in_fence = None
    directive_opened = False
    for k, line in enumerate(lines):
        if not keep[k]:
            lines[k] = ""
            continue
        if in_fence:  # a plain code block inside markdown
            if line.strip() == in_fence:
                in_fence = None
            lines[k] = ""
            continue
        directive = DIRECTIVE.match(line)
        if directive:
            lines[k] = ""
            directive_opened = True
            if directive.group("name") in ("math", "code", "code-block", "raw"):
                in_fence = directive.group("fence")
            continue
        if directive_opened and re.match(r"^:[\w-]+:", line):
            lines[k] = ""
            continue
        directive_opened = False
        fence = re.match(r"^(`{3,}|~{3,})", line)
        if fence:
            rest = line[len(fence.group(1)):].strip()
            if rest:  # ```python: a code block
                in_fence = fence.group(1)
            lines[k] = ""
            continue
        if re.match(r"^\s*:{3,}\s*$|^\+\+\+|^\(.*\)=\s*$|^\s*\|?[-:| ]+\|[-:| ]*$", line):
            lines[k] = ""
    text = "\n".join(lines)
    for match in reversed(list(INLINE.finditer(text))):
        kind = match.lastgroup
        if kind == "role" and keep_roles or kind == "math" and keep_math:
            continue
        text = _blank(text, match.start(), match.end())
    return text


# --------------------------------------------------------------------------- lesson rules


@rule("setup-cell", "the first code cell is the setup cell, tagged remove-cell, installing "
      "helpers from the repository in _config.yml")
def setup_cell(lesson: Lesson, book: Book):
    code = lesson.code_cells
    if not code:
        yield Problem(lesson.name, 1, f"no code cells: copy the setup cell from {MODEL}")
        return
    first = code[0]
    if "remove-cell" not in first.tags:
        yield Problem(lesson.name, first.start, "the first code cell must be the hidden setup "
                      f"cell: tag it `:tags: [remove-cell]` (copy it from {MODEL})")
    if "import helpers" not in first.source or "except ImportError" not in first.source:
        yield Problem(lesson.name, first.start, "the first code cell is not the setup cell "
                      "(try: import helpers / except ImportError: pip install ...): "
                      f"copy it from {MODEL}")
        return
    if f'"{book.install_url}"' not in first.source:
        found = re.search(r'"(git\+[^"]*)"', first.source)
        yield Problem(lesson.name, first.body_start,
                      f"the setup cell installs {found.group(1) if found else 'nothing'}, "
                      f"not {book.install_url} from _config.yml: run `make sync`")


def _notebook_cells(nb) -> list[tuple]:
    return [(c.cell_type, c.source, dict(c.metadata)) for c in nb.cells]


@rule("sync", "book/NN_name.ipynb is exactly what `make sync` makes of the lesson "
      "(no outputs, same cells)")
def in_sync(lesson: Lesson, book: Book):
    import nbformat

    import sync

    notebook = lessons.notebook_for(lesson.path)
    name = rel(notebook)
    if not notebook.exists():
        yield Problem(lesson.name, 1, f"{name} is missing: run `make sync`")
        return
    expected = nbformat.writes(sync.to_notebook(lesson.path)) + "\n"
    actual = notebook.read_text(encoding="utf-8")
    if expected == actual:
        return
    committed = nbformat.reads(actual, as_version=4)
    has_outputs = any(c.get("outputs") or c.get("execution_count") for c in committed.cells
                      if c.cell_type == "code")
    if has_outputs:
        yield Problem(lesson.name, 1, f"{name} has stored outputs: run `make sync` "
                      "(notebooks are committed without outputs)")
    changed = stale_lines(lesson, committed)
    if changed:
        detail = [d for _, lines_ in changed for d in lines_]
        more = len(detail) - 12
        yield Problem(lesson.name, changed[0][0], f"{name} is out of date with this lesson: "
                      "run `make sync` (make build does it for you)",
                      detail=tuple(detail[:12] + ([f"... and {more} more changed lines"]
                                                  if more > 0 else [])))
    elif not has_outputs:
        yield Problem(lesson.name, 1, f"{name} differs from what `make sync` writes "
                      "(metadata or cell ids): run `make sync`")


def stale_lines(lesson: Lesson, committed) -> list[tuple[int, list[str]]]:
    """The lesson's lines that the committed notebook does not have yet, as short diffs.

    Returns [(first .md line, ["lessons_src/x.md:LINE", "- old", "+ new", ...]), ...],
    only the changed lines of changed cells, never the start of a long cell.
    """
    old = [(c.cell_type, c.source) for c in committed.cells]
    new = [(c.kind, c.source) for c in lesson.cells]
    result = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        old_lines = [l for _, s in old[a0:a1] for l in s.splitlines()]
        new_cells = lesson.cells[b0:b1]
        new_lines = [(cell.line_of(k + 1), l) for cell in new_cells
                     for k, l in enumerate(cell.source.splitlines())]
        inner = difflib.SequenceMatcher(a=old_lines, b=[l for _, l in new_lines],
                                        autojunk=False)
        for iop, i0, i1, j0, j1 in inner.get_opcodes():
            if iop == "equal":
                continue
            if j0 < len(new_lines):
                line = new_lines[j0][0]
            elif new_cells:
                line = new_cells[-1].line_of(len(new_cells[-1].source.splitlines()))
            else:
                line = lesson.cells[b0 - 1].line_of(1) if b0 else 1
            detail = [f"{lesson.name}:{line}"]
            detail += [f"- {l}" for l in old_lines[i0:i1]]
            detail += [f"+ {l}" for _, l in new_lines[j0:j1]]
            result.append((line, detail))
    return result


def _visible(cell) -> bool:
    return not {"remove-cell", "remove-input"} & set(cell.tags)


@rule("code-width", f"visible code lines are at most {MAX_WIDTH} characters "
      "(the page cuts longer ones off)")
def code_width(lesson: Lesson, book: Book):
    for cell in lesson.code_cells:
        if not _visible(cell):
            continue
        for k, line in enumerate(cell.source.splitlines(), start=1):
            if len(line) > MAX_WIDTH:
                yield Problem(lesson.name, cell.line_of(k), f"visible code line of {len(line)} "
                              f"characters, over {MAX_WIDTH}: wrap it")


@rule("shape", "the lesson has a title, **What you'll learn**, a seeded imports cell, "
      "## Summary and ## Exercises")
def shape(lesson: Lesson, book: Book):
    text = "\n".join(lesson.lines)
    for part, how in [("\n# ", "a title (`# Title`)"),
                      ("**What you'll learn**", "a **What you'll learn** list"),
                      ("\n## Summary", "a `## Summary` section"),
                      ("\n## Exercises", "an `## Exercises` section")]:
        if part not in "\n" + text:
            yield Problem(lesson.name, 1, f"no {how}: every lesson has one (see {MODEL})")
    code = "\n".join(c.source for c in lesson.code_cells)
    if not re.search(r"manual_seed\(|default_rng\(|seed=|seed_everything\(", code):
        yield Problem(lesson.name, lesson.code_cells[1].start if len(lesson.code_cells) > 1
                      else 1, "the lesson is not seeded: seed numpy and torch in the "
                      "imports cell (torch.manual_seed(0); rng = np.random.default_rng(0))")


@rule("exercises", f"at least {MIN_EXERCISES} {{exercise}} blocks with a :label:, each "
      "with a dropdown {solution-start} and {solution-end} whose code asserts the answer")
def exercises(lesson: Lesson, book: Book):
    labels: dict[str, int] = {}
    exercise_lines = []
    solutions: dict[str, tuple[int, str | None]] = {}
    ends: list[int] = []
    lines = lesson.lines
    for k, line in enumerate(lines, start=1):
        directive = DIRECTIVE.match(line)
        if not directive:
            continue
        name = directive.group("name")
        options = {}
        j = k
        while j < len(lines) and re.match(r"^:[\w-]+:", lines[j]):
            key, _, value = lines[j][1:].partition(":")
            options[key.strip()] = value.strip()
            j += 1
        if name == "exercise":
            exercise_lines.append(k)
            if options.get("label"):
                labels[options["label"]] = k
            else:
                yield Problem(lesson.name, k, "an exercise without `:label: ex-...`: its "
                              "solution refers to the label")
        elif name == "solution-start":
            solutions[directive.group("arg").strip()] = (k, options.get("class"))
        elif name == "solution-end":
            ends.append(k)
    if len(exercise_lines) < MIN_EXERCISES:
        yield Problem(lesson.name, exercise_lines[0] if exercise_lines else len(lines),
                      f"{len(exercise_lines)} exercise(s): a lesson has {MIN_EXERCISES}-3 "
                      "```{exercise}``` blocks, each with a solution")
    for label, line in labels.items():
        if label not in solutions:
            yield Problem(lesson.name, line, f"exercise {label} has no solution: add "
                          f"```{{solution-start}} {label}``` / :class: dropdown / "
                          "... / ```{solution-end}``` after it")
    for label, (line, css) in solutions.items():
        if label not in labels:
            yield Problem(lesson.name, line, f"solution for {label!r}, but no exercise has "
                          "that label")
        if css != "dropdown":
            yield Problem(lesson.name, line, "a solution must be collapsed: add "
                          "`:class: dropdown` under {solution-start}")
        end = next((e for e in ends if e > line), None)
        if end is None:
            yield Problem(lesson.name, line, "{solution-start} without a {solution-end} "
                          "after it")
            continue
        code = [c for c in lesson.code_cells if line < c.start < end]
        if not any(re.search(r"^\s*assert\b", c.source, re.M) for c in code):
            yield Problem(lesson.name, line, f"the solution of {label} has no code cell "
                          "that asserts its answer")


def _role_uses(lesson: Lesson, name: str) -> list[tuple[str, str, int]]:
    """(role, body, line) of every use of the role `name` (or `name:variant`)."""
    return [(role, body, line) for role, body, line in _roles(lesson)
            if role == name or role.startswith(name + ":")]


@rule("glossary", "the lesson links glossary terms with {term}, and every term exists in "
      "book/glossary.md")
def glossary(lesson: Lesson, book: Book):
    uses = _role_uses(lesson, "term")
    if not uses:
        yield Problem(lesson.name, 1, "no glossary link: mark the first use of a term with "
                      "{term}`...` (terms are in book/glossary.md)")
    for _, body, line in uses:
        target = re.search(r"<([^>]*)>\s*$", body)
        term = (target.group(1) if target else body).strip().lower()
        if book.glossary_terms and term not in book.glossary_terms:
            yield Problem(lesson.name, line, f"{{term}}`{body}`: no glossary entry "
                          f"{term!r} in book/glossary.md: add it there or fix the spelling")


@rule("citation", "the lesson cites with {cite:t}/{cite:p}, and every key is in "
      "book/references.bib")
def citation(lesson: Lesson, book: Book):
    uses = _role_uses(lesson, "cite")
    if not uses:
        yield Problem(lesson.name, 1, "no citation: cite a source with {cite:t}`key` or "
                      "{cite:p}`key` (entries in book/references.bib)")
    keys = [(key.strip(), line) for _, body, line in uses for key in re.split(r"[,;]", body)]
    for key, line in keys:
        if key and book.bib_keys and key not in book.bib_keys:
            yield Problem(lesson.name, line, f"citation key {key!r} is not in "
                          "book/references.bib: add the entry there")


@rule("math", "the lesson has math ($...$ or $$...$$)")
def math(lesson: Lesson, book: Book):
    text = _prose_layer(lesson, keep_math=True)
    if not re.search(r"\$[^$\n]+\$|\$\$|\{math\}", text):
        yield Problem(lesson.name, 1, "no math: write the lesson's formulas in $...$ "
                      "or $$...$$ (they render with MathJax)")


@rule("figure", "every figure cell has a caption, a name and alt text")
def figure(lesson: Lesson, book: Book):
    for cell in lesson.code_cells:
        mystnb = cell.metadata.get("mystnb") or {}
        if "figure" not in mystnb:
            continue
        fig = mystnb.get("figure") or {}
        for key in ("caption", "name"):
            if not fig.get(key):
                yield Problem(lesson.name, cell.start, f"a figure without `{key}:` under "
                              "mystnb: figure:")
        if not (mystnb.get("image") or {}).get("alt"):
            yield Problem(lesson.name, cell.start, "a figure without alt text: add "
                          "mystnb: image: alt: (words, no measured numbers)")


@rule("toc", "the lesson is in the table of contents (_toc.yml)")
def toc(lesson: Lesson, book: Book):
    docname = rel(lessons.notebook_for(lesson.path)).removesuffix(".ipynb")
    edition = lesson.path.parent.name if lesson.path.parent != lessons.SOURCES else ""
    tocs = [t for t in book.toc_files
            if (edition and edition in re.split(r"[/_.-]", rel(t))) or
            (not edition and t.name == "_toc.yml" and t.parent == book.root)]
    for toc_file in tocs or book.toc_files:
        entries = book.toc_entries(toc_file)
        if docname in entries or any(docname.endswith("/" + e) and (not edition or "/" in e)
                                     for e in entries):
            return
    yield Problem(lesson.name, 1, f"{docname} is not in {rel(tocs[0]) if tocs else '_toc.yml'}"
                  f": add `- file: {docname}` under the Lessons chapters")


@rule("tracked", "the lesson and its notebook are committed (git add)")
def tracked(lesson: Lesson, book: Book):
    if book.tracked is None:
        return
    for path in (lesson.path, lessons.notebook_for(lesson.path)):
        if path.exists() and rel(path) not in book.tracked:
            yield Problem(lesson.name, 1, f"{rel(path)} is not tracked by git: "
                          f"git add {rel(lesson.path)} {rel(lessons.notebook_for(lesson.path))}")


# --------------------------------------------------------------------------- glue

GLUE_CALL = re.compile(r"\bglue\(\s*(?P<f>[fF]?)(?P<q>['\"])(?P<name>.*?)(?P=q)")


def glued_names(lesson: Lesson) -> list[tuple[str, re.Pattern, int]]:
    """(name or f-string pattern, regex, line) of every glue("name", ...) in the code."""
    found = []
    for cell in lesson.code_cells:
        for k, line in enumerate(cell.source.splitlines(), start=1):
            for match in GLUE_CALL.finditer(line):
                name = match.group("name")
                if match.group("f"):
                    parts = re.split(r"\{[^{}]*\}", name)
                    pattern = re.compile("^" + ".+?".join(map(re.escape, parts)) + "$")
                else:
                    pattern = re.compile("^" + re.escape(name) + "$")
                found.append((name, pattern, cell.line_of(k)))
    return found


def used_glue(lesson: Lesson) -> list[tuple[str, int]]:
    """(key, line) of every glue key the prose shows: {glue:text}`key:fmt`, {glue:figure} key."""
    used = []
    for role, body, line in _roles(lesson):
        if role == "glue" or role.startswith("glue:"):
            if "::" in body:  # from another page
                continue
            used.append((body.split(":")[0].strip(), line))
    for k, line in enumerate(lesson.lines, start=1):
        directive = DIRECTIVE.match(line)
        if directive and directive.group("name").startswith("glue"):
            key = directive.group("arg").strip()
            if key and "::" not in key:
                used.append((key, k))
    return used


@rule("glue", "every glue key the prose shows is glued in the code, and every glued value is "
      "shown")
def glue_names(lesson: Lesson, book: Book):
    glued = glued_names(lesson)
    used = used_glue(lesson)
    for key, line in used:
        if not any(pattern.match(key) for _, pattern, _ in glued):
            yield Problem(lesson.name, line, f"glue key {key!r} is shown but never glued: "
                          f"add glue({key!r}, value) in a code cell before it, or fix the name",
                          key=key)
    seen = set()
    for name, pattern, line in glued:
        if name in seen:
            continue
        seen.add(name)
        if not any(pattern.match(key) for key, _ in used):
            yield Problem(lesson.name, line, f"glue({name!r}, ...) is never shown in the prose: "
                          "quote it with {glue:text}`" + name + ":.3f` or drop the glue",
                          key=name)


# --------------------------------------------------------------------------- typed numbers

NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*(?:[eE][-+−]?\d+)?)(?![\w]|\.\d)")
REFERENCE_WORDS = (
    "lesson", "lessons", "figure", "figures", "fig.", "section", "sections", "chapter",
    "chapters", "exercise", "exercises", "equation", "equations", "eq.", "table", "step",
    "steps", "part", "parts", "seed", "seeds", "appendix", "page", "pages", "column",
    "columns", "row", "rows", "cell", "item", "line",
)
REFERENCE = re.compile(
    r"(?:^|[^\w])(?:" + "|".join(re.escape(w) for w in REFERENCE_WORDS) + r")"
    r"[,:]?\s+(?:\d+(?:\.\d+)*\s*(?:,|and|or|to|-|–|—)\s*)*$", re.I)
TYPED_MARK = re.compile(r"(?:<!--|#)\s*typed:\s*([^>\n]*?)\s*(?:-->|$)", re.M)
UNITS_AS_NAMES = re.compile(r"^-(bit|bits|dimensional|D|d)\b")  # 32-bit, 2-D


def code_inputs(lesson: Lesson) -> set[float]:
    """Numbers the lesson's code chooses: literals outside assert statements, the operands
    of exact (==) comparisons in asserts, and the defaults of helpers' functions."""
    values = set(_helpers_defaults())
    for cell in lesson.code_cells:
        source = "\n".join(l for l in cell.source.splitlines()
                           if not l.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            try:
                for token in tokenize.generate_tokens(io.StringIO(source).readline):
                    if token.type == tokenize.NUMBER:
                        values.add(float(ast.literal_eval(token.string)))
            except (tokenize.TokenError, ValueError, SyntaxError):
                pass
            continue
        asserted, exact = set(), set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert):
                asserted |= {id(n) for n in ast.walk(node)}
                for compare in ast.walk(node):
                    if isinstance(compare, ast.Compare) and all(
                            isinstance(op, ast.Eq) for op in compare.ops):
                        for side in [compare.left, *compare.comparators]:
                            exact |= {id(n) for n in ast.walk(side)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and (id(node) not in asserted or id(node) in exact)
                    and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)):
                values.add(float(node.value))
    return values


@lru_cache(maxsize=1)
def _helpers_defaults() -> frozenset[float]:
    """Numeric defaults of the helpers functions: the recipes' inputs (the article's
    learning rate 0.01, batches of 32, 200 epochs)."""
    values = set()
    for path in sorted((ROOT / "helpers").glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for default in [*node.args.defaults, *filter(None, node.args.kw_defaults)]:
                    if isinstance(default, ast.Constant) and isinstance(
                            default.value, (int, float)) and not isinstance(default.value, bool):
                        values.add(float(default.value))
    return frozenset(values)


def _value(token: str) -> float | None:
    try:
        token = token.replace("−", "-")
        return float(token.replace(",", "")) if "," in token and re.fullmatch(
            r"\d{1,3}(,\d{3})+", token) else float(token)
    except ValueError:
        return None


def _marked(lesson: Lesson, raw_text: str) -> dict[int, set[str]]:
    """Numbers a `<!-- typed: 0.87 -->` mark allows, per line of its paragraph."""
    allowed: dict[int, set[str]] = {}
    lines = raw_text.split("\n")
    for match in TYPED_MARK.finditer(raw_text):
        numbers = set(re.findall(r"\d+(?:[.,]\d+)*", match.group(1)))
        line = _line_at(raw_text, match.start())
        first = line
        while first > 1 and lines[first - 2].strip():
            first -= 1
        last = line
        while last < len(lines) and lines[last].strip():
            last += 1
        if match.group(0).lstrip().startswith("#"):
            last += 1  # a YAML comment covers the caption or alt text below it
            while last < len(lines) and lines[last].strip() and lines[last][:1] == " ":
                last += 1
        for k in range(first, last + 1):
            allowed.setdefault(k, set()).update(numbers)
    return allowed


def typed_numbers(lesson: Lesson) -> Iterator[tuple[int, str, str]]:
    """(line, number, where) of each number typed into prose, a caption or alt text."""
    raw = "\n".join(lesson.lines)
    inputs = code_inputs(lesson)
    allowed = _marked(lesson, raw)
    caption_lines = {k for first, last, _ in _figure_text_spans(lesson)
                     for k in range(first, last + 1)}
    for math_only, text in ((False, _prose_layer(lesson)), (True, None)):
        if math_only:
            prose = _prose_layer(lesson)
            with_math = _prose_layer(lesson, keep_math=True)
            # math = what keep_math adds back
            text = "".join(m if p == " " and m != " " else (" " if p != "\n" else "\n")
                           for p, m in zip(prose, with_math))
        for match in NUMBER.finditer(text):
            token = match.group(1)
            line = _line_at(text, match.start())
            before = text[max(0, text.rfind("\n", 0, match.start()) + 1):match.start()]
            after = text[match.end():match.end() + 12]
            value = _value(token)
            if token in allowed.get(line, set()):
                continue
            if math_only and "." not in token:
                continue  # integers in math are notation: 4 \to 2 \to 4, indices, powers
            if re.fullmatch(r"(19|20)\d\d", token):
                continue  # a year
            if REFERENCE.search(before):
                continue  # lesson 3, Fig. 4.1, seeds 0 to 19
            if UNITS_AS_NAMES.match(after):
                continue  # 32-bit, 2-D: names of formats, not quantities
            if value is not None and value in inputs:
                continue  # an input the code uses
            if math_only and value is not None and any(
                    abs(value - v) < 1e-12 for v in inputs):
                continue
            where = "a caption or alt text" if line in caption_lines else (
                "math" if math_only else "the prose")
            yield line, token, where


@rule("typed-number", "no number typed into prose, captions or alt text unless it is glued, "
      "an input the code uses, a year, a lesson/figure/seed number, an integer in math, or "
      "marked <!-- typed: N -->")
def typed_number(lesson: Lesson, book: Book):
    for line, token, where in typed_numbers(lesson):
        yield Problem(lesson.name, line, f"{token} is typed into {where}: glue the computed "
                      f"value ({{glue:text}}`name:.3f`), word it without the number, or if it "
                      f"is deliberate (an input, the article's value) mark it <!-- typed: "
                      f"{token} -->", key=token)


# --------------------------------------------------------------------------- book rules


@rule("orphan-notebook", "every book/NN_name.ipynb has its lessons_src/NN_name.md",
      scope="book")
def orphan_notebooks(book: Book):
    for notebook in sorted(lessons.BOOK.rglob("*.ipynb")):
        if "_build" in notebook.parts or ".ipynb_checkpoints" in notebook.parts:
            continue
        if lessons.LESSON_NAME.match(notebook.stem) and lessons.source_for(notebook) is None:
            yield Problem(rel(notebook), 1, "a notebook without a lesson source "
                          f"lessons_src/{notebook.relative_to(lessons.BOOK).with_suffix('.md')}"
                          ": delete it (git rm) or restore its source")


# --------------------------------------------------------------------------- running


def load_plugins() -> None:
    """Import scripts/check_*.py: each registers more rules with @rule."""
    for path in sorted(HERE.glob("check_*.py")):
        importlib.import_module(path.stem)


def resolve(names: Iterable[str]) -> list[Path]:
    """Lesson sources from paths or prefixes ("04", "04_pca", "ja/04", a path)."""
    everything = lessons.lesson_sources(editions=True)
    chosen = []
    for name in names:
        path = Path(name)
        if path.suffix in (".md", ".ipynb") and (ROOT / path).exists() or path.exists():
            full = (path if path.is_absolute() else ROOT / path).resolve()
            source = lessons.source_for(full) if full.suffix == ".ipynb" else full
            matches = [source] if source else []
        else:
            prefix = name.strip("/").removeprefix("lessons_src/")
            matches = [p for p in everything
                       if p.relative_to(lessons.SOURCES).as_posix().startswith(prefix)
                       and (("/" in prefix) == (p.parent != lessons.SOURCES))]
        if len(matches) != 1:
            found = ", ".join(rel(p) for p in matches) or "no lesson"
            raise SystemExit(f"check: {name!r} names {found}: give one lesson, "
                             "e.g. 04 or lessons_src/04_pca.md")
        chosen.append(matches[0])
    return chosen


def run(sources: Iterable[Path] | None = None, only: Iterable[str] | None = None,
        book: Book | None = None) -> list[Problem]:
    """Every problem of the given lessons (default: all, every edition) under every rule."""
    load_plugins()
    book = book or Book()
    everything = sources is None
    sources = list(lessons.lesson_sources(editions=True) if sources is None else sources)
    rules = [RULES[name] for name in only] if only else list(RULES.values())
    problems: list[Problem] = []
    for source in sources:
        lesson = lessons.parse(source)
        for r in rules:
            if r.scope == "lesson":
                problems += [dataclasses.replace(p, rule=r.name) for p in r.func(lesson, book)]
    if everything:
        for r in rules:
            if r.scope == "book":
                problems += [dataclasses.replace(p, rule=r.name) for p in r.func(book)]
    return problems


KNOWN = HERE / "check-known.txt"


def known_problems(path: Path = KNOWN) -> set[tuple[str, str, str]]:
    """Entries `lessons_src/NN_name.md RULE KEY` of problems that are known and owned."""
    if not path.exists():
        return set()
    entries = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            parts = line.split(None, 2)
            entries.add((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return entries


def split_known(problems: list[Problem], known: set[tuple[str, str, str]],
                checked: set[str]) -> tuple[list[Problem], list[Problem]]:
    """(new problems, known ones); an entry no longer found becomes a problem itself."""
    new, old, matched = [], [], set()
    for p in problems:
        entry = (p.path, p.rule, p.key)
        if entry in known:
            old.append(p)
            matched.add(entry)
        else:
            new.append(p)
    for entry in sorted(known - matched):
        if entry[0] in checked:
            new.append(Problem(rel(KNOWN), 1, f"{' '.join(entry)} is fixed: delete this line "
                               "from the known problems", rule="known"))
    return new, old


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lessons", nargs="*", help="lessons to check (default: all)")
    parser.add_argument("--rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--only", action="append", help="run only this rule (repeatable)")
    parser.add_argument("--all", action="store_true",
                        help=f"also print the known problems listed in {KNOWN.name}")
    args = parser.parse_args(argv)
    load_plugins()
    if args.rules:
        for r in RULES.values():
            print(f"{r.name}: {r.summary}")
        return 0
    sources = resolve(args.lessons) if args.lessons else None
    problems = run(sources, args.only)
    checked = {rel(p) for p in (sources or lessons.lesson_sources(editions=True))}
    problems, known = split_known(problems, set() if args.only else known_problems(), checked)
    for problem in problems:
        print(problem)
    if known:
        print(f"check: {len(known)} known problem(s) listed in {rel(KNOWN)} (not failing; "
              "`python scripts/check.py --all` shows them)", file=sys.stderr)
    if args.all:
        for problem in known:
            print(f"{problem}  [known]")
    count = len(sources) if sources is not None else len(lessons.lesson_sources(editions=True))
    if problems:
        print(f"check: {len(problems)} problem(s) in {count} lesson(s)", file=sys.stderr)
        return 1
    print(f"check: {count} lesson(s) follow all {len(RULES)} rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
