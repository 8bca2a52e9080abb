"""The lesson sources: where they are, which notebook each makes, which line each cell is on.

A lesson is edited in `lessons_src/NN_name.md` (Jupytext MyST Markdown) and published as
`book/NN_name.ipynb`. A second edition keeps the same names one folder down:
`lessons_src/ja/NN_name.md` makes `book/ja/NN_name.ipynb`. Everything that reports a
problem in a lesson (the lesson check, the build, the notebook tests) uses this module to
turn "cell 17 of book/04_pca.ipynb, line 3" into `lessons_src/04_pca.md:341`, the place an
instructor edits.

Only the standard library and PyYAML: the Sphinx build and the test suite both import it.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "lessons_src"
BOOK = ROOT / "book"
LESSON_NAME = re.compile(r"^\d\d_\w+$")

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*\{code-cell\}")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --------------------------------------------------------------------------- where


def lesson_sources(editions: bool = False) -> list[Path]:
    """The lessons in reading order: lessons_src/NN_name.md (and lessons_src/*/NN_name.md)."""
    found = [p for p in SOURCES.glob("*.md") if LESSON_NAME.match(p.stem)]
    if editions:
        found += [p for p in SOURCES.glob("*/*.md") if LESSON_NAME.match(p.stem)]
    return sorted(found, key=lambda p: (len(p.relative_to(SOURCES).parts), str(p)))


def notebook_for(source: Path) -> Path:
    """lessons_src[/ed]/NN_name.md -> book[/ed]/NN_name.ipynb."""
    relative = Path(source).resolve().relative_to(SOURCES.resolve())
    return BOOK / relative.with_suffix(".ipynb")


def source_for(notebook: Path | str) -> Path | None:
    """book[/ed]/NN_name.ipynb (or the docname book[/ed]/NN_name) -> its lesson source."""
    path = Path(notebook)
    if not path.is_absolute():
        path = ROOT / path
    try:
        relative = path.resolve().relative_to(BOOK.resolve())
    except ValueError:
        return None
    source = SOURCES / relative.with_suffix(".md")
    return source if LESSON_NAME.match(source.stem) and source.exists() else None


def rel(path: Path) -> str:
    """A path as the instructor types it: relative to the repository, with '/'."""
    try:
        return Path(path).resolve().relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- cells


@dataclasses.dataclass
class Cell:
    """One notebook cell of a lesson, with the source lines it came from (1-based)."""

    index: int                 # position among all cells of the notebook
    kind: str                  # "markdown" or "code"
    start: int                 # first line of the cell in the .md (the fence for code)
    body_start: int            # line of the first line of `source`
    source: str                # the cell's text as jupytext puts it in the notebook
    metadata: dict = dataclasses.field(default_factory=dict)
    meta_start: int = 0        # first line of a code cell's options (0: none)
    meta_lines: list[str] = dataclasses.field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        return list(self.metadata.get("tags", []) or [])

    def line_of(self, offset: int) -> int:
        """The .md line of line `offset` (1-based) of this cell's source."""
        return self.body_start + max(offset, 1) - 1


@dataclasses.dataclass
class Lesson:
    path: Path
    lines: list[str]
    cells: list[Cell]
    front_matter_end: int  # last line of the YAML front matter (0: none)

    @property
    def name(self) -> str:
        return rel(self.path)

    @property
    def code_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.kind == "code"]

    def where(self, line: int) -> str:
        return f"{self.name}:{line}"


def _markdown(cells: list[Cell], lines: list[str], start: int, end: int) -> None:
    """Add the markdown cells of lines[start:end] (0-based, end exclusive)."""
    block_start = start
    for i in list(range(start, end)) + [end]:
        if i == end or lines[i].startswith("+++"):
            chunk = lines[block_start:i]
            first = next((k for k, text in enumerate(chunk) if text.strip()), None)
            if first is not None:
                last = max(k for k, text in enumerate(chunk) if text.strip())
                cells.append(Cell(len(cells), "markdown", block_start + first + 1,
                                  block_start + first + 1,
                                  "\n".join(chunk[first:last + 1])))
            block_start = i + 1


def parse(path: Path, text: str | None = None) -> Lesson:
    """Split a MyST lesson into the cells jupytext makes of it, with their line numbers."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if text is None else text
    lines = text.split("\n")
    i, front_end = 0, 0
    if lines and lines[0].strip() == "---":
        close = next((k for k in range(1, len(lines)) if lines[k].strip() == "---"), None)
        if close is not None:
            front_end = close + 1
            i = close + 1
    cells: list[Cell] = []
    md_start = i
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        _markdown(cells, lines, md_start, i)
        fence = match.group("fence")
        fence_line = i
        i += 1
        meta_lines: list[str] = []
        meta_start = 0
        if i < len(lines) and lines[i].strip() == "---":
            meta_start = i + 2  # the first line after ---
            i += 1
            while i < len(lines) and lines[i].strip() != "---":
                meta_lines.append(lines[i])
                i += 1
            i += 1
            metadata = yaml.safe_load("\n".join(meta_lines)) or {}
        else:
            metadata = {}
            while i < len(lines) and re.match(r"^:[\w-]+:", lines[i]):
                meta_start = meta_start or i + 1
                meta_lines.append(lines[i])
                key, _, value = lines[i][1:].partition(":")
                metadata[key.strip()] = yaml.safe_load(value.strip()) if value.strip() else None
                i += 1
        if meta_lines and i < len(lines) and not lines[i].strip():
            i += 1  # jupytext drops the blank line after the options
        body_start = i
        while i < len(lines) and lines[i].rstrip() != fence:
            i += 1
        cells.append(Cell(len(cells), "code", fence_line + 1, body_start + 1,
                          "\n".join(lines[body_start:i]), metadata, meta_start, meta_lines))
        i += 1
        md_start = i
    _markdown(cells, lines, md_start, len(lines))
    return Lesson(path, lines, cells, front_end)


@lru_cache(maxsize=64)
def _parse_cached(path: str, mtime: float) -> Lesson:
    return parse(Path(path))


def load(path: Path) -> Lesson:
    """parse(), cached while the file is unchanged."""
    path = Path(path).resolve()
    return _parse_cached(str(path), path.stat().st_mtime)


def cell_line(source: Path, cell_index: int, offset: int = 1) -> int:
    """The .md line of line `offset` of notebook cell `cell_index` (all cells, from 0)."""
    cells = load(source).cells
    if 0 <= cell_index < len(cells):
        return cells[cell_index].line_of(offset)
    return 1


def find_code_cell(source: Path, code: str) -> Cell | None:
    """The code cell whose source is `code` (as a failing cell is reported)."""
    code = code.strip()
    for cell in load(source).code_cells:
        if cell.source.strip() == code:
            return cell
    return None


# --------------------------------------------------------------------------- failures


@dataclasses.dataclass
class Failure:
    """A cell that raised: where in the lesson, which line of code, what error."""

    where: str        # lessons_src/NN_name.md:LINE, or the notebook if unknown
    code: str         # the failing line of code
    error: str        # e.g. "AssertionError: bound 0.0419 is not about 0.044"
    frames: list[str]  # deeper frames (a helper that raised), innermost last

    def __str__(self) -> str:
        text = f"{self.where}: {self.error}"
        if self.code:
            text += f"\n    {self.code.strip()}"
        for frame in self.frames[-3:]:
            text += f"\n    (raised in {frame})"
        return text


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def explain(traceback: str, cell_source: str | None, notebook: Path | str | None) -> Failure:
    """Read an IPython traceback of a failing cell into a Failure that names the lesson line.

    `traceback` is the text a kernel reports (ANSI colours allowed): nbclient's
    CellExecutionError message, nbval's report, or the joined `traceback` list of an error
    output. `cell_source` is the failing cell's code; when None it is taken from the
    "An error occurred while executing the following cell" block, if present.
    """
    text = strip_ansi(traceback)
    if cell_source is None:
        block = re.search(r"following cell:\n-+\n(.*?)\n-+\n", text, re.S)
        cell_source = block.group(1) if block else ""
    lines = text.splitlines()
    # The error line: the last line that looks like "SomeError: message" (or a bare name).
    error = ""
    for line in reversed(lines):
        stripped = line.strip()
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit|Warning)\b", stripped):
            error = stripped
            break
    if not error:
        error = next((l.strip() for l in reversed(lines) if l.strip()), "the cell raised")
    # IPython marks the failing line of each frame with "---->"; the cell's own frame
    # is the one headed "Cell In[...], line N"; later frames are inside functions.
    offset, code, frames = None, "", []
    current, seen_cell = None, False
    for line in lines:
        head = re.match(r"^\s*(Cell In\s*\[[^\]]*\]|File [^,]+|Input In \[[^\]]*\])"
                        r"(?:[:,]\s*line (\d+))?(?:,?\s*in (\S+))?", line)
        if head:
            current = head.group(1)
            if current.startswith(("Cell In", "Input In")):
                seen_cell, frames = True, []  # frames before it are the host's
                if head.group(2):
                    offset = int(head.group(2))
            elif current.startswith("File") and seen_cell:
                location = current[5:].strip()
                if head.group(2):
                    location += f":{head.group(2)}"
                if head.group(3):
                    location += f" in {head.group(3)}"
                frames.append(location)
            continue
        arrow = re.match(r"^-*>\s*(\d+)\s?(.*)$", line)
        if arrow and current and current.startswith(("Cell In", "Input In")):
            offset = int(arrow.group(1))
            code = arrow.group(2)
    source = source_for(notebook) if notebook else None
    where = rel(Path(notebook)) if notebook else "the notebook"
    if source is not None:
        cell = find_code_cell(source, cell_source) if cell_source else None
        if cell is not None:
            where = load(source).where(cell.line_of(offset or 1))
            if not code and offset:
                code = cell.source.splitlines()[offset - 1] if offset <= len(
                    cell.source.splitlines()) else ""
        else:
            where = rel(source)
    return Failure(where, code, error, frames)
