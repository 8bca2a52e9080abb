"""The lesson check for the Japanese edition (imported by scripts/check.py).

A Japanese lesson lessons_src/ja/NN_name.md is the twin of lessons_src/NN_name.md. Every
rule of scripts/check.py applies to it, reading what differs by language from the
edition (book/ja/_edition.yml, book/ja/glossary.md, the English twin's entry in
_toc.yml); this module adds:

- how Japanese writes numbers that are not quantities (the typed-number rule):
  第 14 章, 図 3, 練習 1.2, 乱数の種 0〜19, 64 ビット, 2 次元, 3 番目, and a one-digit
  count before a counter word (3 つ, 2 層), which English writes as a word;
- `twin`: every English lesson has its twin, unless lessons_src/ja/untranslated.txt
  lists it (then a note); a listed lesson that has a twin is reported there;
- `parity`: the twin has the English lesson's code cells (comments aside), tags and
  options, glue names, figure names, equation labels, targets and exercises
  (scripts/parity.py compares them), reported at the Japanese lesson's line;
- `punctuation`: 、 and 。, never ， and ．;
- `english-left`: no line of prose, caption, alt text or code comment left in English;
- `untranslated`: every entry of lessons_src/ja/untranslated.txt names a lesson.
"""

from __future__ import annotations

import re
from pathlib import Path

import check
import lessons
import parity
from check import Problem, rule
from lessons import Lesson, rel

EDITION = "ja"

# --------------------------------------------------------------------------- numbers

KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005"
KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
#: a Japanese character next to a number is a boundary, as a space is in English: 5個,
#: 0.042の, 第14章 are found like "5 個" (Python counts kana and kanji as word characters)
NUMBER = re.compile(rf"(?<![^\W{KANJI}{KANA}]|\.)(\d+(?:[.,]\d+)*(?:[eE][-+−]?\d+)?)"
                    rf"(?![^\W{KANJI}{KANA}]|\.\d)")
#: words before a reference number: 図 3, 式 2, レッスン 4, 練習 1.2, 乱数の種 0〜19
REFERENCE_WORDS = ("レッスン", "練習問題", "練習", "演習", "付録", "ページ", "セル",
                   "乱数の種", "シード", "ステップ", "手順", "項目")
#: one-kanji reference words; they must not end a longer word (実行 0.5, 数式, 代表)
REFERENCE_KANJI = "第図式表節章部列行種"
JOINERS = r"(?:、|,|と|や|および|及び|または|か|から|〜|～|-|–|—|・|/)"
REFERENCE = re.compile(
    rf"(?:{'|'.join(REFERENCE_WORDS)}|(?<![{KANJI}])[{REFERENCE_KANJI}])\s*"
    rf"(?:\d+(?:\.\d+)*\s*{JOINERS}\s*(?:第\s*)?)*$")
#: after an integer: an ordinal or a reference (3 番目, 2 行目, 14 章), a format or an
#: order (64 ビット, 2 次元, 2 次形式, 2 階微分)
NAME_AFTER = re.compile(rf"^\s*(?:番目|行目|列目|回目|個目|つ目|本目|層目|段目|章|節|"
                        rf"番(?![{KANJI}])|ビット|次元|次|階|-?bit\b|-?D\b)")
#: after a one-digit integer: a counter word. English writes such counts as words
#: (three layers, two of them), which the rule does not read; Japanese writes 3 層, 2 つ.
COUNTER_AFTER = re.compile(r"^\s*(?:つ|個|層|回|本|枚|種類|通り|点|段|組|件|行|列|桁|章|節|部)")


def _is_name(token: str, after: str) -> bool:
    if check.ENGLISH.name(token, after):
        return True
    if not re.fullmatch(r"\d+", token):
        return False  # an ordinal, a format or a count is a whole number
    return bool(NAME_AFTER.match(after) or len(token) == 1 and COUNTER_AFTER.match(after))


JAPANESE = check.Language(
    number=NUMBER,
    reference=re.compile(f"(?:{check.REFERENCE.pattern})|(?:{REFERENCE.pattern})", re.I),
    name=_is_name,
)
check.LANGUAGES[EDITION] = JAPANESE


# --------------------------------------------------------------------------- twins


def _untranslated(edition: str) -> tuple[Path, dict[str, int]]:
    """The edition's allow-list and its entries: {lesson stem: line}."""
    path = lessons.SOURCES / edition / "untranslated.txt"
    entries: dict[str, int] = {}
    if path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            name = line.split("#", 1)[0].strip().removesuffix(".md")
            if name:
                entries.setdefault(name, number)
    return path, entries


def _editions(book: check.Book) -> list[str]:
    """The editions whose lessons live in lessons_src/<ed>/."""
    return [ed for ed in book.editions if (lessons.SOURCES / ed).is_dir()]


@rule("twin", "every English lesson has its twin in each edition (lessons_src/ja/NN_name.md)"
      " unless lessons_src/ja/untranslated.txt lists it (a note); a listed lesson with a twin "
      "is reported, so the list empties")
def twin(lesson: Lesson, book: check.Book):
    edition = check.edition_of(lesson)
    stem = lesson.path.stem
    if not edition:
        for ed in _editions(book):
            if (lessons.SOURCES / ed / lesson.path.name).exists():
                continue
            path, allowed = _untranslated(ed)
            twin_name = f"lessons_src/{ed}/{lesson.path.name}"
            if stem in allowed:
                yield Problem(lesson.name, 1, f"no {ed} twin yet, as {rel(path)} allows",
                              note=True, key=ed)
            else:
                yield Problem(lesson.name, 1, f"no {ed} twin {twin_name}: translate it as "
                              f"lessons_src/{ed}/STYLE.md says (then `make sync`), or until "
                              f"then list {stem} in {rel(path)}", key=ed)
        return
    if not check.english_twin(lesson).exists():
        yield Problem(lesson.name, 1, f"no English lesson lessons_src/{lesson.path.name}: "
                      "an edition's lesson translates one (rename it, or write the English "
                      "lesson first)")
    path, allowed = _untranslated(edition)
    if stem in allowed:
        yield Problem(rel(path), allowed[stem], f"{stem} is translated "
                      f"({lesson.name}): delete this line")


@rule("untranslated", "every entry of an edition's untranslated.txt names an English lesson",
      scope="book")
def untranslated_entries(book: check.Book):
    for ed in _editions(book):
        path, allowed = _untranslated(ed)
        for stem, line in allowed.items():
            if not (lessons.SOURCES / f"{stem}.md").exists():
                yield Problem(rel(path), line, f"{stem} is no lesson (no lessons_src/"
                              f"{stem}.md): delete this line or fix the name")


# --------------------------------------------------------------------------- parity


def _cells(lesson: Lesson) -> list[parity.CellTuple]:
    return [(c.kind, c.source, c.metadata) for c in lesson.cells]


def _line(lesson: Lesson, index: int | None, offset: int) -> int:
    if index is None or not 0 <= index < len(lesson.cells):
        return 1
    return lesson.cells[index].line_of(offset)


def _leaves(meta, path=()) -> dict[tuple, object]:
    if isinstance(meta, dict) and meta:
        return {k: v for key, value in meta.items() for k, v in _leaves(value, path + (key,)).items()}
    return {path: meta}


def _option_line(cell: lessons.Cell, english: lessons.Cell) -> int:
    """The line of the first option whose value differs from the English cell's."""
    ja_leaves = _leaves(parity.comparable_metadata(cell.metadata))
    en_leaves = _leaves(parity.comparable_metadata(english.metadata))
    for path in [*ja_leaves, *en_leaves]:
        if ja_leaves.get(path) != en_leaves.get(path):
            for k, text in enumerate(cell.meta_lines):
                if re.match(rf"^\s*:?{re.escape(str(path[-1]))}:", text):
                    return cell.meta_start + k
            break
    return cell.meta_start or cell.start


@rule("parity", "a twin has its English lesson's code cells (comments aside), tags and "
      "options, glue names, figure names, equation labels, targets and exercises")
def twin_parity(lesson: Lesson, book: check.Book):
    if not check.edition_of(lesson):
        return
    english_path = check.english_twin(lesson)
    if not english_path.exists():
        return  # the twin rule reports it
    english = lessons.load(english_path)
    for d in parity.differences(_cells(english), _cells(lesson), noun="lesson"):
        at = f"{english.name}:{_line(english, d.en_cell, d.en_line)}"
        cell = (f"code cell {d.code_cell}" if d.kind in ("code", "tags", "metadata")
                else "the lesson")
        line = _line(lesson, d.ja_cell, d.ja_line)
        if d.kind in ("tags", "metadata"):  # the option that differs, or the fence
            line = _option_line(lesson.cells[d.ja_cell], english.cells[d.en_cell])
        yield Problem(lesson.name, line,
                      f"{cell} differs from the English lesson ({at}): {d.what}; {d.fix}, "
                      "then `make sync`", key=d.kind)


# --------------------------------------------------------------------------- punctuation


@rule("punctuation", "a Japanese lesson uses 、 and 。, never ， and ．")
def punctuation(lesson: Lesson, book: check.Book):
    if check.edition_of(lesson) != EDITION:
        return
    for number, line in enumerate(lesson.lines, start=1):
        for wrong, right in (("，", "、"), ("．", "。")):
            if wrong in line:
                yield Problem(lesson.name, number, f"{wrong} in a Japanese lesson: write "
                              f"{right} (lessons_src/ja/STYLE.md)", key=wrong)


# --------------------------------------------------------------------------- english left

_JAPANESE = re.compile(rf"[{KANJI}{KANA}]")
#: five or more English words in a row: a sentence or a phrase left untranslated
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){4,}")
#: what a Japanese sentence may quote in English: math, code, roles, links, glue
_QUOTED = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\{[\w:-]+\}`[^`]*`|`[^`]*`|\[[^\]]*\]\([^)]*\)"
                     r"|<[^>]*>|https?://\S+")


#: a MyST target, `(sec-name)=`; a line that merely opens with "(" is prose
_TARGET_LINE = re.compile(r"^\([^()\s]+\)=$")


def _english(text: str) -> bool:
    """A line with no Japanese character and a run of English words outside quotes."""
    return not _JAPANESE.search(text) and bool(_ENGLISH_RUN.search(_QUOTED.sub(" ", text)))


@rule("english-left", "a Japanese lesson leaves no English sentence untranslated: prose, "
      "captions, alt text and code comments")
def english_left(lesson: Lesson, book: check.Book):
    if check.edition_of(lesson) != EDITION:
        return
    def fix(text: str) -> str:
        text = text.strip()
        quote = text if len(text) <= 40 else text[:37] + "..."
        return f"'{quote}': translate it (lessons_src/ja/STYLE.md)"
    for cell in lesson.cells:
        if cell.kind == "markdown":
            in_math = False
            for offset, text in enumerate(cell.source.split("\n"), start=1):
                stripped = text.strip()
                if stripped.startswith("$$"):
                    in_math = stripped.count("$$") == 1 and not in_math
                    continue
                if (in_math or _TARGET_LINE.match(stripped)
                        or stripped.startswith((":", "```", "<!--"))):
                    continue                  # math, targets, directive options, comments
                if _english(stripped):
                    yield Problem(lesson.name, cell.line_of(offset),
                                  f"this line reads as English, {fix(stripped)}",
                                  key=stripped[:40])
            continue
        for offset, text in enumerate(cell.meta_lines):
            value = text.split(":", 1)[1] if re.match(r"^\s*(caption|alt)\s*:", text) else text
            if not re.match(r"^\s*[\w-]+\s*:", text) or value is not text:
                if _english(value.strip()):
                    yield Problem(lesson.name, cell.meta_start + offset,
                                  f"this caption or alt text reads as English, {fix(value)}",
                                  key=value.strip()[:40])
        for offset, text in enumerate(cell.source.split("\n"), start=1):
            if "#" in text and _english(text.split("#", 1)[1]):
                yield Problem(lesson.name, cell.line_of(offset),
                              f"this code comment reads as English, "
                              f"{fix(text.split('#', 1)[1])}",
                              key=text.strip()[:40])
