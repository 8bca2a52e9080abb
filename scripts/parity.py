"""The two editions of the book: which English lessons have a Japanese twin, and whether
each twin matches its English lesson in everything but language.

A Japanese twin is lessons_src/ja/NN_name.md with its generated notebook
book/ja/NN_name.ipynb (`make sync`). It must have, compared with book/NN_name.ipynb:

- the same code cells in the same order, identical except for comments;
- the same cell metadata on those cells (tags, figure names, options), apart from the
  translated figure caption and alt text;
- the same glue names quoted in the prose;
- the same figure names, equation labels and other targets;
- the same exercises and solutions, with the same labels.

Fast and kernel-free: it only reads the committed notebooks with nbformat. Used by
tests/test_editions.py and scripts/build_ja.py; a check script can print `problems()`.

Lessons whose translation has not landed yet are listed, one stem a line, in
lessons_src/ja/untranslated.txt (the allow-list; see that file). Empty it as twins land.
"""

from __future__ import annotations

import copy
import io
import re
import sys
import tokenize
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
EN_SOURCES = ROOT / "lessons_src"
JA_SOURCES = EN_SOURCES / "ja"
EN_BOOK = ROOT / "book"
JA_BOOK = EN_BOOK / "ja"
UNTRANSLATED = JA_SOURCES / "untranslated.txt"

#: metadata that a translation changes: the caption and the alt text of a figure
TRANSLATED_METADATA = (("mystnb", "figure", "caption"), ("mystnb", "image", "alt"))
#: metadata jupytext writes for layout only
LAYOUT_METADATA = ("lines_to_next_cell", "lines_to_end_of_cell_marker")

_LESSON = re.compile(r"\d\d_\w+\.md$")
_DIRECTIVE = re.compile(r"^\s*(`{3,}|:{3,})\{([\w:-]+)\}[ \t]*(.*?)\s*$")
_OPTION = re.compile(r"^\s*:([\w-]+):[ \t]*(.*?)\s*$")
_GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
_EQUATION_LABEL = re.compile(r"^\s*\$\$\s*\(([^()\s]+)\)\s*$", re.M)
_TARGET = re.compile(r"^\s*\(([^()\s]+)\)=\s*$", re.M)


# ----------------------------------------------------------------------------- twins

def english_lessons() -> list[str]:
    """Stems of the English lessons, in reading order: ['01_basic_form', ...]."""
    return sorted(p.stem for p in EN_SOURCES.glob("*.md") if _LESSON.match(p.name))


def japanese_lessons() -> list[str]:
    """Stems of the Japanese lessons that have a source in lessons_src/ja/."""
    return sorted(p.stem for p in JA_SOURCES.glob("*.md") if _LESSON.match(p.name))


def untranslated(path: Path | None = None) -> list[str]:
    """The allow-list: lessons allowed to have no Japanese twin yet (comments dropped)."""
    path = UNTRANSLATED if path is None else path
    if not path.exists():
        return []
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line.removesuffix(".md"))
    return names


def has_twin(stem: str) -> bool:
    """True if lessons_src/ja/<stem>.md and book/ja/<stem>.ipynb both exist."""
    return (JA_SOURCES / f"{stem}.md").exists() and (JA_BOOK / f"{stem}.ipynb").exists()


def missing_twins() -> list[str]:
    """English lessons without a Japanese source or without its generated notebook."""
    return [stem for stem in english_lessons() if not has_twin(stem)]


def twin_report() -> tuple[list[str], list[str]]:
    """(errors, allowed): what is wrong with the set of twins, and what is allow-listed.

    errors: missing twins not on the allow-list, Japanese lessons without an English
    lesson, allow-list entries that are translated already or name no lesson.
    allowed: missing twins that the allow-list excuses.
    """
    english, allow = english_lessons(), untranslated()
    missing = missing_twins()
    errors, allowed = [], []
    for stem in missing:
        if stem in allow:
            allowed.append(stem)
            continue
        if (JA_SOURCES / f"{stem}.md").exists():
            errors.append(f"book/ja/{stem}.ipynb is missing: run `make sync`")
        else:
            errors.append(f"lessons_src/{stem}.md has no Japanese twin "
                          f"lessons_src/ja/{stem}.md (see lessons_src/ja/STYLE.md)")
    for stem in japanese_lessons():
        if stem not in english:
            errors.append(f"lessons_src/ja/{stem}.md has no English lesson lessons_src/{stem}.md")
    for stem in allow:
        if stem not in english:
            errors.append(f"{UNTRANSLATED.relative_to(ROOT)} lists {stem}, which is no lesson")
        elif stem not in missing:
            errors.append(f"{stem} is translated: remove it from "
                          f"{UNTRANSLATED.relative_to(ROOT)}")
    return errors, allowed


# ----------------------------------------------------------------------- comparison

def strip_comments(code: str) -> str:
    """The code without its comments: comment-only lines dropped, trailing ones cut."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code.strip("\n")  # not Python: compare it as it is
    cut = {tok.start[0]: tok.start[1] for tok in tokens if tok.type == tokenize.COMMENT}
    kept = []
    for number, line in enumerate(code.splitlines(), start=1):
        if number in cut:
            line = line[:cut[number]]
            if not line.strip():
                continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip("\n")


def comparable_metadata(cell) -> dict:
    """A cell's metadata without what a translation may change (caption, alt text)."""
    meta = copy.deepcopy(dict(cell.get("metadata", {})))
    for key in LAYOUT_METADATA:
        meta.pop(key, None)
    for path in TRANSLATED_METADATA:
        node = meta
        for key in path[:-1]:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            node.pop(path[-1], None)
    # drop the dictionaries the removals left empty
    for key in ("mystnb",):
        if isinstance(meta.get(key), dict):
            meta[key] = {k: v for k, v in meta[key].items() if v != {}}
            if not meta[key]:
                del meta[key]
    return meta


def directives(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """The MyST directives of a Markdown text: (name, argument, options), in order."""
    found, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        match = _DIRECTIVE.match(line)
        if not match:
            continue
        options = {}
        for following in lines[i + 1:]:
            option = _OPTION.match(following)
            if not option:
                break
            options[option.group(1)] = option.group(2)
        found.append((match.group(2), match.group(3), options))
    return found


def prose_labels(nb) -> dict[str, list[str]]:
    """Labels the Markdown cells define or quote, by kind, in order of appearance."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    found = {"glue names": [], "exercises": [], "solutions": [], "figures": [],
             "equations": [], "targets": []}
    for name, argument, options in directives(text):
        if name == "exercise":
            found["exercises"].append(options.get("label", "(no label)"))
        elif name in ("solution", "solution-start"):
            found["solutions"].append(argument)
        elif name.startswith("glue"):
            found["glue names"].append(argument)
            if "name" in options:
                found["figures"].append(options["name"])
        elif name in ("figure", "image", "table", "list-table") and "name" in options:
            found["figures"].append(options["name"])
        elif name == "math" and "label" in options:
            found["equations"].append(options["label"])
    found["glue names"] += [ref.split(":", 1)[0].strip() for ref in _GLUE_ROLE.findall(text)]
    found["glue names"] = sorted(set(found["glue names"]))  # word order differs by language
    found["equations"] += _EQUATION_LABEL.findall(text)
    found["targets"] = _TARGET.findall(text)
    return found


def figure_names(nb) -> list[str]:
    """The names of the figures the code cells make (mystnb figure metadata), in order."""
    names = []
    for cell in nb.cells:
        name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
        if cell.cell_type == "code" and name:
            names.append(name)
    return names


def _first_line(code: str) -> str:
    line = next((l for l in code.splitlines() if l.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


def compare(english: Path, japanese: Path) -> str | None:
    """None if the Japanese notebook matches the English one, else the first difference.

    The message names both files, and for a code cell its number among the code cells
    and its index in each notebook.
    """
    en_nb = nbformat.read(english, as_version=4)
    ja_nb = nbformat.read(japanese, as_version=4)
    where = f"{_rel(japanese)} differs from {_rel(english)}"
    en_code = [(i, c) for i, c in enumerate(en_nb.cells) if c.cell_type == "code"]
    ja_code = [(i, c) for i, c in enumerate(ja_nb.cells) if c.cell_type == "code"]
    for k, ((ei, ec), (ji, jc)) in enumerate(zip(en_code, ja_code), start=1):
        cell = (f"code cell {k} (cell {ji} of the Japanese notebook, cell {ei} of the "
                f"English one, starting {_first_line(ec.source)!r})")
        en_src, ja_src = strip_comments(ec.source), strip_comments(jc.source)
        if en_src != ja_src:
            pairs = zip(en_src.splitlines() + [""], ja_src.splitlines() + [""])
            en_line, ja_line = next((a, b) for a, b in pairs if a != b)
            return (f"{where}: {cell}: the code differs outside comments; "
                    f"English {en_line!r}, Japanese {ja_line!r}")
        en_meta, ja_meta = comparable_metadata(ec), comparable_metadata(jc)
        if en_meta != ja_meta:
            if en_meta.get("tags", []) != ja_meta.get("tags", []):
                return (f"{where}: {cell}: tags {ja_meta.get('tags', [])} instead of "
                        f"{en_meta.get('tags', [])}")
            return f"{where}: {cell}: metadata {ja_meta} instead of {en_meta}"
    if len(en_code) != len(ja_code):
        k = min(len(en_code), len(ja_code)) + 1
        longer, extra = (("English", en_code) if len(en_code) > len(ja_code)
                         else ("Japanese", ja_code))
        return (f"{where}: the Japanese notebook has {len(ja_code)} code cells, the "
                f"English one {len(en_code)}; code cell {k}, only in the {longer} one, "
                f"starts {_first_line(extra[k - 1][1].source)!r}")
    en_fig, ja_fig = figure_names(en_nb), figure_names(ja_nb)
    if en_fig != ja_fig:
        return f"{where}: figure names {ja_fig} instead of {en_fig}"
    en_labels, ja_labels = prose_labels(en_nb), prose_labels(ja_nb)
    for kind in en_labels:
        if en_labels[kind] != ja_labels[kind]:
            missing = [x for x in en_labels[kind] if x not in ja_labels[kind]]
            extra = [x for x in ja_labels[kind] if x not in en_labels[kind]]
            return (f"{where}: the prose's {kind} differ: {ja_labels[kind]} instead of "
                    f"{en_labels[kind]} (missing {missing}, extra {extra})")
    return None


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def problems() -> list[str]:
    """Everything that keeps the editions apart: twin errors, then each lesson's first
    difference. Allow-listed missing twins are not problems."""
    errors, _ = twin_report()
    for stem in english_lessons():
        if has_twin(stem):
            difference = compare(EN_BOOK / f"{stem}.ipynb", JA_BOOK / f"{stem}.ipynb")
            if difference:
                errors.append(difference)
    return errors


def main() -> int:
    found = problems()
    _, allowed = twin_report()
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    if allowed:
        print(f"note: not translated yet (allowed by {UNTRANSLATED.relative_to(ROOT)}): "
              + ", ".join(allowed))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
