"""The two editions stay in step: every English lesson has a Japanese twin with the same
code, tags, glue names, figures, equations and exercises; the Japanese sources and
notebooks are in order; the Japanese build's configuration is derived, not duplicated.

Fast and kernel-free: the comparison logic lives in scripts/parity.py.
"""

from __future__ import annotations

import copy
import sys
import unicodedata

import jupytext
import nbformat
import pytest
import yaml
from conftest import ROOT

import build_ja
import parity
import sync

ENGLISH = parity.english_lessons()
JAPANESE = sync.ja_lesson_sources()
ALLOWED = parity.untranslated()
FIX = "run `make sync` to regenerate it"
STYLE = "lessons_src/ja/STYLE.md"


# ------------------------------------------------------------------------ the twins

def test_every_english_lesson_has_a_japanese_twin():
    """Lists every missing twin in one message. Missing twins that the allow-list
    lessons_src/ja/untranslated.txt names make this an expected failure (xfail)."""
    errors, allowed = parity.twin_report()
    assert not errors, "the editions are out of step:\n- " + "\n- ".join(errors)
    if allowed:
        pytest.xfail("no Japanese twin yet, allowed by lessons_src/ja/untranslated.txt: "
                     + ", ".join(allowed))


@pytest.mark.parametrize("stem", ENGLISH)
def test_twin_matches_its_english_lesson(stem):
    if not parity.has_twin(stem):
        if stem in ALLOWED:
            pytest.xfail(f"{stem}: not translated yet (lessons_src/ja/untranslated.txt)")
        pytest.fail(f"lessons_src/{stem}.md has no Japanese twin lessons_src/ja/{stem}.md "
                    f"with its notebook book/ja/{stem}.ipynb: translate it ({STYLE}) and "
                    "run `make sync`")
    difference = parity.compare(parity.EN_BOOK / f"{stem}.ipynb",
                                parity.JA_BOOK / f"{stem}.ipynb")
    assert difference is None, difference


def test_japanese_pages_beside_the_lessons():
    for page in ("intro.md", "glossary.md", "references.md", "_edition.yml"):
        assert (parity.JA_BOOK / page).exists(), f"book/ja/{page} is missing"


# ----------------------------------------------------- the comparison catches drift

def _notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def _english_like():
    return [
        nbformat.v4.new_markdown_cell(
            "# T\n\nSee {eq}`eq-a` and {glue:text}`err:.3f`.\n\n$$\nx\n$$ (eq-a)\n\n"
            "```{exercise}\n:label: ex-one\n\nDo it.\n```\n\n"
            "```{solution-start} ex-one\n:class: dropdown\n```"),
        nbformat.v4.new_code_cell("x = 1  # one\n# a comment line\ny = x + 1",
                                  metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("plot()", metadata={"mystnb": {
            "figure": {"caption": "A plot.", "name": "fig-a"},
            "image": {"alt": "A line."}}}),
    ]


def _write_pair(tmp_path, change=None):
    en, ja = _english_like(), copy.deepcopy(_english_like())
    ja[0].source = ja[0].source.replace("See", "見よ")
    ja[1].source = "x = 1  # いち\n# コメント行\n# もう一行\ny = x + 1"
    ja[2].metadata["mystnb"]["figure"]["caption"] = "図。"
    ja[2].metadata["mystnb"]["image"]["alt"] = "線。"
    if change:
        change(ja)
    paths = tmp_path / "en.ipynb", tmp_path / "ja.ipynb"
    for path, cells in zip(paths, (en, ja)):
        nbformat.write(_notebook(cells), path)
    return paths


def test_translated_prose_comments_captions_and_alt_text_are_not_differences(tmp_path):
    assert parity.compare(*_write_pair(tmp_path)) is None


@pytest.mark.parametrize("change, expected", [
    (lambda ja: setattr(ja[1], "source", "x = 2\ny = x + 1"),
     "code cell 1 (cell 1 of the Japanese notebook, cell 1 of the English one, "
     "starting 'x = 1  # one'): the code differs outside comments; "
     "English 'x = 1', Japanese 'x = 2'"),
    (lambda ja: ja[1].metadata.update(tags=["hide-input"]),
     "code cell 1 (cell 1 of the Japanese notebook, cell 1 of the English one, "
     "starting 'x = 1  # one'): tags ['hide-input'] instead of ['remove-cell']"),
    (lambda ja: ja[2].metadata["mystnb"]["figure"].update(name="fig-b"),
     "code cell 2"),
    (lambda ja: ja.pop(2), "the Japanese notebook has 1 code cells, the English one 2; "
                           "code cell 2, only in the English one, starts 'plot()'"),
    (lambda ja: setattr(ja[0], "source", ja[0].source.replace("err:", "error:")),
     "the prose's glue names differ"),
    (lambda ja: setattr(ja[0], "source", ja[0].source.replace("(eq-a)", "(eq-b)")),
     "the prose's equations differ"),
    (lambda ja: setattr(ja[0], "source", ja[0].source.replace(":label: ex-one",
                                                              ":label: ex-two")),
     "the prose's exercises differ"),
])
def test_a_difference_names_the_file_and_the_first_cell(tmp_path, change, expected):
    message = parity.compare(*_write_pair(tmp_path, change))
    assert message is not None and expected in message, message
    assert "ja.ipynb differs from" in message and "en.ipynb" in message


def test_strip_comments_keeps_strings_with_hashes():
    code = 'print("# not a comment")  # a comment\n    # indented comment\nz = 3'
    assert parity.strip_comments(code) == 'print("# not a comment")\nz = 3'


def test_twin_report_names_missing_twins_and_stale_allow_list_entries(tmp_path,
                                                                     monkeypatch):
    en, ja, book_ja = tmp_path / "en", tmp_path / "en" / "ja", tmp_path / "book_ja"
    for folder in (ja, book_ja):
        folder.mkdir(parents=True)
    for stem in ("01_a", "02_b", "03_c"):
        (en / f"{stem}.md").write_text("x")
    (ja / "01_a.md").write_text("x")
    (book_ja / "01_a.ipynb").write_text("{}")
    (ja / "untranslated.txt").write_text("# comment\n02_b\n01_a\n09_z\n")
    monkeypatch.setattr(parity, "EN_SOURCES", en)
    monkeypatch.setattr(parity, "JA_SOURCES", ja)
    monkeypatch.setattr(parity, "JA_BOOK", book_ja)
    monkeypatch.setattr(parity, "UNTRANSLATED", ja / "untranslated.txt")
    monkeypatch.setattr(parity, "ROOT", tmp_path)
    errors, allowed = parity.twin_report()
    assert allowed == ["02_b"]
    assert any("lessons_src/03_c.md has no Japanese twin" in e for e in errors)
    assert any("01_a is translated: remove it" in e for e in errors)
    assert any("lists 09_z, which is no lesson" in e for e in errors)


# ------------------------------------------------- the Japanese sources themselves

@pytest.mark.parametrize("source", JAPANESE, ids=lambda p: p.name)
def test_japanese_notebook_matches_its_source(source):
    target = sync.notebook_for(source)
    assert target.parent == parity.JA_BOOK
    assert target.exists(), f"book/ja/{target.name} is missing: {FIX}"
    committed = nbformat.read(target, as_version=4)
    cells = lambda nb: [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", [])))
                        for c in nb.cells]
    assert cells(committed) == cells(jupytext.read(source)), \
        f"book/ja/{target.name} differs from lessons_src/ja/{source.name}: {FIX}"
    for i, cell in enumerate(committed.cells):
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, \
                f"book/ja/{target.name} cell {i} has outputs: {FIX}"


@pytest.mark.parametrize("source", JAPANESE, ids=lambda p: p.name)
def test_japanese_setup_cell_installs_from_the_configured_repository(source):
    nb = nbformat.read(sync.notebook_for(source), as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "remove-cell" in first.metadata.get("tags", [])
    assert f'"{sync.install_url()}"' in first.source, \
        f"{source.name}: run `make sync` after changing the repository in _config.yml"


def _columns(line: str) -> int:
    """Display width: a full-width (Japanese) character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.parametrize("source", JAPANESE, ids=lambda p: p.name)
def test_japanese_visible_code_fits_the_page(source):
    for i, cell in enumerate(jupytext.read(source).cells):
        if cell.cell_type != "code" or "remove-cell" in cell.metadata.get("tags", []):
            continue
        for line in cell.source.splitlines():
            assert _columns(line) <= 72, \
                f"{source.name} cell {i}: {_columns(line)} columns: {line!r}"


@pytest.mark.parametrize("source", JAPANESE, ids=lambda p: p.name)
def test_japanese_lesson_has_the_course_shape(source):
    text = source.read_text(encoding="utf-8")
    for part in ("**この章で学ぶこと**", "**必要なもの**", "## まとめ", "## 練習問題",
                 "{solution-start}"):
        assert part in text, f"{source.name} lacks {part} (see {STYLE})"
    for wrong in ("，", "．"):
        assert wrong not in text, f"{source.name}: use 、 and 。, not {wrong} ({STYLE})"


def test_every_notebook_in_book_ja_has_a_source():
    sources = {p.stem for p in JAPANESE}
    for nb in sorted(parity.JA_BOOK.glob("*.ipynb")):
        assert nb.stem in sources, f"book/ja/{nb.name} has no lessons_src/ja/{nb.stem}.md"


def test_sync_pairs_japanese_sources_with_book_ja():
    source = sync.JA_SOURCES / "01_basic_form.md"
    assert sync.notebook_for(source) == ROOT / "book" / "ja" / "01_basic_form.ipynb"
    assert sync.notebook_for(sync.SOURCES / "01_basic_form.md") == \
        ROOT / "book" / "01_basic_form.ipynb"


# ------------------------------------- the Japanese build's configuration is derived

ROOT_CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
STRINGS = yaml.safe_load(build_ja.STRINGS.read_text(encoding="utf-8"))


def test_japanese_config_takes_the_repository_from_the_root_config():
    forked = copy.deepcopy(ROOT_CONFIG)
    forked["repository"].update(url="https://github.com/someone/fork", branch="dev")
    config = build_ja.japanese_config(forked, STRINGS)
    assert config["repository"]["url"] == "https://github.com/someone/fork"
    assert config["repository"]["branch"] == "dev"
    assert config["repository"]["path_to_book"] == "book/ja"
    assert config["launch_buttons"] == ROOT_CONFIG["launch_buttons"]
    assert config["sphinx"]["config"]["language"] == "ja"


def test_no_japanese_file_repeats_the_repository_setting():
    url = ROOT_CONFIG["repository"]["url"]
    for path in [build_ja.STRINGS, ROOT / "scripts" / "build_ja.py",
                 ROOT / "book" / "_ext" / "edition_links.py"]:
        assert url not in path.read_text(encoding="utf-8"), f"{path} repeats {url}"
    assert "repository" not in STRINGS


def test_japanese_config_rebases_paths_onto_book_ja():
    config = build_ja.japanese_config(ROOT_CONFIG, STRINGS)
    source = build_ja.SOURCE
    for path in config["bibtex_bibfiles"] + config["sphinx"]["config"]["html_static_path"]:
        assert (source / path).resolve().exists(), path
    assert (source / config["html"]["favicon"]).resolve().exists()
    for folder in config["sphinx"]["local_extensions"].values():
        assert (build_ja.GENERATED / folder).resolve() == ROOT / "book" / "_ext"
    assert "japanese" in config["sphinx"]["local_extensions"]


def test_japanese_toc_follows_the_english_toc():
    root_toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    toc, left_out = build_ja.japanese_toc(root_toc, STRINGS)
    assert toc["root"] == root_toc["root"].removeprefix("book/")
    english = [c["file"].removeprefix("book/") for part in root_toc["parts"]
               for c in part["chapters"]]
    japanese = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert japanese == [name for name in english if name not in left_out]
    assert set(left_out) <= set(ALLOWED), \
        f"pages missing from the Japanese edition: {sorted(set(left_out) - set(ALLOWED))}"
    for part in toc["parts"]:
        assert part["caption"] in STRINGS["captions"].values()


def test_japanese_toc_names_an_untranslated_caption():
    with pytest.raises(ValueError, match="'Extras' has no Japanese caption"):
        build_ja.japanese_toc({"root": "book/intro", "parts": [
            {"caption": "Extras", "chapters": [{"file": "book/intro"}]}]}, STRINGS)


# ------------------------------------------------ the Japanese text and its search

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import japanese  # noqa: E402  (book/_ext/japanese.py, a Sphinx extension)


@pytest.mark.parametrize("text, terms", [
    ("主成分分析", ["主成", "成分", "分分", "分析"]),
    ("恒等写像を学ぶ", ["恒等", "等写", "写像", "像を", "を学", "学ぶ"]),
    ("PCAと重み", ["PCA", "と重", "重み"]),
    ("式", ["式"]),
])
def test_search_splits_japanese_into_bigrams(text, terms):
    assert japanese.split(text) == terms


@pytest.mark.parametrize("before, after, joined", [
    ("す", "次", True), ("。", "P", True), ("a", "（", True),
    ("す", "P", False), ("a", "で", False), ("a", "b", False),
])
def test_line_breaks_are_dropped_between_japanese_characters(before, after, joined):
    assert japanese.JoinJapaneseLines.joinable(before, after) is joined
