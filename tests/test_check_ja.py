"""`make check` on the Japanese edition: every rule in its Japanese form, the twin and
parity rules, and `make test-lesson L=ja/NN`.

Each test writes a small English lesson and its Japanese twin into a throw-away
repository (tests/test_book.py's `book` fixture, with the real book/ja/_edition.yml and
book/ja/glossary.md added) and runs the check on them.
"""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pytest
from conftest import ROOT
from test_book import EXERCISE, GOOD, SETUP, book  # noqa: F401  (book: the fixture)

import check
import lessons
import sync
import testlesson

JA_EXERCISE = (EXERCISE.replace("An exercise.", "練習です。"))
JA_GOOD = GOOD.split("\n# A good lesson", 1)[0] + '''
# よいレッスン

{term}`オートエンコーダ` は入力を再現します {cite:p}`baldi1989`。
$x \\approx \\tilde x$ です。

**この章で学ぶこと**

- なし

**必要なもの**：なし。

SETUP
```{code-cell} ipython3
import numpy as np
from helpers import glue

rng = np.random.default_rng(0)  # 乱数の種
value = glue("value", rng.normal())
steps = 300
```

値は 300 ステップのあとで {glue:text}`value:.3f` です（第 3 章、レッスン 3、乱数の種 0〜19、1986 年）。
写像は $4 \\to 2 \\to 4$ です。
記事の 0.87 は意図的です。<!-- typed: 0.87 -->

## まとめ

- 終わり

## 練習問題

''' + "".join(JA_EXERCISE.replace("LABEL", label) for label in "ab")


@pytest.fixture
def twins(book):  # noqa: F811
    """The throw-away book with a Japanese edition; write(name, en, ja) writes a pair."""
    root, write = book
    (root / "book" / "ja").mkdir()
    for name in ("_edition.yml", "glossary.md"):
        shutil.copy(ROOT / "book" / "ja" / name, root / "book" / "ja" / name)
    (root / "lessons_src" / "ja").mkdir()

    def write_pair(name: str, en: str | None = GOOD, ja: str | None = JA_GOOD):
        """Write the English lesson and its twin (None: leave that one as it is)."""
        paths = []
        for folder, text in (("", en), ("ja/", ja)):
            paths.append(root / "lessons_src" / (folder + name))
            if text is not None:
                write(folder + name, text)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        return paths

    return root, write_pair


def _run(root, *sources, rule=None):
    notes: list[check.Problem] = []
    problems = check.run(list(sources), book=check.Book(root), notes=notes)
    if rule:
        problems = [p for p in problems if p.rule == rule]
        notes = [p for p in notes if p.rule == rule]
    return problems, notes


def _line(path, fragment):
    return next(k for k, l in enumerate(path.read_text().splitlines(), 1) if fragment in l)


# --------------------------------------------------------------------------- the pair


def test_a_good_pair_passes(twins):
    root, write = twins
    en, ja = write("01_good.md")
    problems, notes = _run(root, en, ja)
    assert problems == [] and notes == [], "\n".join(map(str, problems + notes))


def test_english_headings_in_a_japanese_lesson_are_reported_with_the_japanese_ones(twins):
    root, write = twins
    text = (JA_GOOD.replace("**この章で学ぶこと**", "**What you'll learn**")
            .replace("## まとめ", "## Summary"))
    _, ja = write("01_good.md", ja=text)
    messages = [p.message for p in _run(root, ja, rule="shape")[0]]
    assert len(messages) == 2, messages
    assert "no `**この章で学ぶこと**`" in messages[0] and "book/ja/_edition.yml" in messages[0]
    assert "no `## まとめ`" in messages[1]
    assert "lessons_src/ja/01_basic_form.md" not in messages[0]  # no such file here


def test_the_japanese_headings_come_from_the_edition_file(twins):
    root, write = twins
    edition = root / "book" / "ja" / "_edition.yml"
    edition.write_text(edition.read_text().replace('"## まとめ"', '"## 要約"'))
    _, ja = write("01_good.md")
    (problem,) = _run(root, ja, rule="shape")[0]
    assert "no `## 要約`" in problem.message


def test_the_toc_rule_asks_for_the_english_twin_in_toc_yml(twins):
    root, write = twins
    en, ja = write("01_good.md")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/intro\n")
    problems = _run(root, en, ja, rule="toc")[0]
    assert [p.path for p in problems] == ["lessons_src/01_good.md", "lessons_src/ja/01_good.md"]
    assert "its English twin book/01_good is not in _toc.yml" in problems[1].message
    assert "book/ja/01_good" not in problems[1].message


def test_japanese_glossary_links_use_japanese_names(twins):
    root, write = twins
    text = JA_GOOD.replace("{term}`オートエンコーダ`",
                           "{term}`autoencoder`、{term}`符号 <オートエンコーダ>`、"
                           "{term}`存在しない語`")
    _, ja = write("01_good.md", ja=text)
    messages = [p.message for p in _run(root, ja, rule="glossary")[0]]
    assert len(messages) == 2, messages
    assert "{term}`autoencoder` links the entry by its English name" in messages[0]
    assert "{term}`オートエンコーダ`" in messages[0]
    assert "no glossary entry '存在しない語' in book/ja/glossary.md" in messages[1]


def test_english_lessons_link_the_english_glossary_only(twins):
    root, write = twins
    en, _ = write("01_good.md", en=GOOD.replace("{term}`autoencoder`",
                                                "{term}`オートエンコーダ`"))
    (problem,) = _run(root, en, rule="glossary")[0]
    assert "no glossary entry 'オートエンコーダ' in book/glossary.md" in problem.message


def test_code_width_counts_a_japanese_character_as_two_columns(twins):
    root, write = twins
    comment = "# " + "長" * 30  # 62 columns, 32 characters
    text = JA_GOOD.replace("steps = 300\n", "steps = 300  " + comment + "\n")
    _, ja = write("01_good.md", ja=text)
    (problem,) = _run(root, ja, rule="code-width")[0]
    assert problem.line == _line(ja, "長長")
    assert "visible code line of 75 columns, over 72" in problem.message


def test_japanese_punctuation(twins):
    root, write = twins
    _, ja = write("01_good.md", ja=JA_GOOD.replace("終わり", "終わり，以上．"))
    problems = _run(root, ja, rule="punctuation")[0]
    assert [p.key for p in problems] == ["，", "．"]
    assert all(p.line == _line(ja, "以上") for p in problems)


def test_a_value_the_english_lesson_does_not_show_is_reported_there_only(twins):
    root, write = twins
    extra = '\n```{code-cell} ipython3\nglue("hidden", 1.0)\n```\n\n## Summary'
    en, ja = write("01_good.md", en=GOOD.replace("\n## Summary", extra, 1),
                   ja=JA_GOOD.replace("\n## まとめ", extra.replace("Summary", "まとめ"), 1))
    problems = _run(root, en, ja, rule="glue")[0]
    assert [p.path for p in problems] == ["lessons_src/01_good.md"]


def test_a_value_the_english_lesson_shows_must_be_shown_in_the_twin(twins):
    root, write = twins
    en, ja = write("01_good.md", ja=JA_GOOD.replace(" {glue:text}`value:.3f` ", " "))
    problems = _run(root, en, ja, rule="glue")[0]
    assert [p.path for p in problems] == ["lessons_src/ja/01_good.md"]
    assert "glue('value', ...) is never shown" in problems[0].message


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("sentence, typed", [
    # measured numbers typed into Japanese prose: caught
    ("損失は 0.042 です。", ["0.042"]),
    ("損失は0.042でした。", ["0.042"]),               # no spaces around it
    ("画素の約 73 % が内側です。", ["73"]),
    ("この方法は 1.5 倍速く、誤差は 2.918 です。", ["1.5", "2.918"]),
    ("47 個のネットワークを訓練しました。", ["47"]),  # two digits: not a word in English
    ("誤差が 7 倍になります。", ["7"]),                # 倍 is a quantity, not a counter
    ("平均 3.5 個の誤り。", ["3.5"]),                  # a count is a whole number
    ("第 2 層の誤差は 0.31 です。", ["0.31"]),
    ("実行 0.25 秒、数式 0.125、代表値 12。", ["0.25", "0.125", "12"]),  # not 行, 式, 表
    ("24 番目の 0.75 番目", ["0.75"]),                 # ordinals are whole numbers
    ("固有値は $\\lambda_1 = 2.918$ です。", ["2.918"]),
    ("記事の値 0.87 と 0.66 です。<!-- typed: 0.87 -->", ["0.66"]),
    # Japanese notation for what English allows: not caught
    ("{cite:t}`goodfellow2016` の第 14 章と第14章、第 1 章と第 3 章。", []),
    ("図 3 と式 12、表 17、練習 1.2 と練習問題 2.1 を見てください。", []),
    ("レッスン 6 と 7、乱数の種 0〜19 と 100 から 139、種 11～12。", []),
    ("PyTorch は 64 ビット、NumPy は 32 ビット、2 次元の図。", []),
    ("24 番目の値と 27 行目、14 章と 2 階微分、2 次形式。", []),
    ("3 つの層と 2 層、6 個の入力、1 つにつき 1 行ずつ。", []),   # counts English words
    ("300 ステップ、乱数の種 0、1986 年、$4 \\to 2 \\to 4$。", []),  # inputs, year, math
])
def test_japanese_typed_number_rule(twins, sentence, typed):
    root, write = twins
    _, ja = write("01_good.md", ja=JA_GOOD.replace("## まとめ", sentence + "\n\n## まとめ"))
    found = sorted(p.key for p in _run(root, ja, rule="typed-number")[0])
    assert found == sorted(typed)


FIGURE = '''```{code-cell} ipython3
---
mystnb:
  figure:
    caption: CAPTION
    name: NAME
  image:
    alt: ALT
---
print(steps)
```

'''


def _figure(caption: str, alt: str, name: str = "fig-a") -> str:
    return FIGURE.replace("CAPTION", caption).replace("ALT", alt).replace("NAME", name)


def test_japanese_numbers_in_captions_and_alt_text(twins):
    root, write = twins
    figure = _figure("誤差は 0.63 に下がり、第 2 章の図と同じです。",
                     "3 つの曲線が約 73 パーセントまで下がる図。")
    en_figure = _figure("A curve.", "Three curves.")
    _, ja = write("01_good.md", en=GOOD.replace("## Summary", en_figure + "## Summary"),
                  ja=JA_GOOD.replace("## まとめ", figure + "## まとめ"))
    problems, _ = _run(root, ja, rule="typed-number")
    assert sorted(p.key for p in problems) == ["0.63", "73"]
    assert all("a caption or alt text" in p.message for p in problems)


def test_english_numbers_are_read_as_before(twins):
    """The Japanese forms do not leak into the English rule."""
    root, write = twins
    en, _ = write("01_good.md", en=GOOD.replace("## Summary", "第 14 章、64 ビット、"
                                                "the loss0.042 and 3 つ.\n\n## Summary"))
    found = sorted(p.key for p in _run(root, en, rule="typed-number")[0])
    assert found == ["14", "3", "64"]  # a word's 0.042 is not read; 3 つ is Japanese


# --------------------------------------------------------------------------- twins


def test_a_missing_twin_fails_unless_listed_and_then_is_one_note(twins, capsys):
    root, write = twins
    en, _ = write("01_good.md", ja=None)
    problems, notes = _run(root, en, rule="twin")
    assert len(problems) == 1 and not notes
    assert problems[0].path == "lessons_src/01_good.md"
    assert "no ja twin lessons_src/ja/01_good.md" in problems[0].message
    assert "lessons_src/ja/untranslated.txt" in problems[0].message
    (root / "lessons_src" / "ja" / "untranslated.txt").write_text("# comment\n01_good\n")
    problems, notes = _run(root, en, rule="twin")
    assert problems == [] and len(notes) == 1
    second, _ = write("02_more.md", ja=None)
    (root / "lessons_src" / "ja" / "untranslated.txt").write_text("01_good\n02_more\n")
    assert check.main([str(en), str(second), "--only", "twin"]) == 0
    err = capsys.readouterr().err
    assert err.count("note:") == 1
    assert ("note: no ja twin yet, as lessons_src/ja/untranslated.txt allows: "
            "lessons_src/01_good.md, lessons_src/02_more.md") in err


def test_a_listed_lesson_that_has_a_twin_is_reported_at_its_line(twins):
    root, write = twins
    en, ja = write("01_good.md")
    (root / "lessons_src" / "ja" / "untranslated.txt").write_text("# comment\n\n01_good\n")
    problems, _ = _run(root, en, ja, rule="twin")
    assert [str(p).split(": ", 1)[0] for p in problems] == ["lessons_src/ja/untranslated.txt:3"]
    assert "01_good is translated" in problems[0].message and "delete" in problems[0].message


def test_untranslated_entries_name_lessons_and_twins_have_english_lessons(twins):
    root, write = twins
    write("01_good.md")
    _, orphan = write("02_lost.md", en=None)
    (root / "lessons_src" / "ja" / "untranslated.txt").write_text("09_nothing\n")
    problems = check.run(None, only=["twin", "untranslated"], book=check.Book(root))
    text = "\n".join(map(str, problems))
    assert "lessons_src/ja/untranslated.txt:1: 09_nothing is no lesson" in text
    assert "lessons_src/ja/02_lost.md:1: no English lesson lessons_src/02_lost.md" in text


# --------------------------------------------------------------------------- parity


EXTRA = "```{code-cell} ipython3\nprint(steps)\n```\n\n"


@pytest.mark.parametrize("change, fragment, expected", [
    (lambda t: t.replace("steps = 300", "steps = 400"), "steps = 400",
     "code cell 2 differs from the English lesson (lessons_src/01_good.md:{en}): the code "
     "differs outside comments; English 'steps = 300', Japanese 'steps = 400'; copy the "
     "English cell"),
    (lambda t: t.replace("```{code-cell} ipython3\nimport numpy",
                         "```{code-cell} ipython3\n:tags: [hide-input]\n\nimport numpy"),
     ":tags: [hide-input]", "code cell 2 differs from the English lesson "
     "(lessons_src/01_good.md:{imports}): tags ['hide-input'] instead of []; give it the "
     "English cell's tags []"),
    (lambda t: t.replace("{glue:text}`value:.3f`", "{glue:text}`valeur:.3f`"),
     "valeur", "the prose's glue names differ: missing ['value'], extra ['valeur']"),
    (lambda t: t.replace(":label: ex-b", ":label: ex-c").replace("solution-start} ex-b",
                                                                 "solution-start} ex-c"),
     ":label: ex-c", "the prose's exercises differ: missing ['ex-b'], extra ['ex-c']"),
    (lambda t: t.replace("$x \\approx \\tilde x$ です。",
                         "$$\nx \\approx \\tilde x\n$$ (eq-b)\n"),
     "(eq-b)", "the prose's equations differ: missing [], extra ['eq-b']"),
    (lambda t: t.replace(EXTRA, ""), "値は 300",
     "the Japanese lesson has 4 code cells, the English one 5; code cell 3, only in the "
     "English one, starts 'print(steps)'; copy it"),
    (lambda t: t.replace("## まとめ", "```{code-cell} ipython3\nprint(0)\n```\n\n## まとめ"),
     "print(0)", "the Japanese lesson has 6 code cells, the English one 5; code cell 4, "
                 "only in the Japanese one, starts 'print(0)'; remove it"),
])
def test_a_twin_that_drifts_is_reported_at_its_japanese_line(twins, change, fragment,
                                                            expected):
    """Each lesson has a third code cell, print(steps), before its summary."""
    root, write = twins
    en, ja = write("01_good.md", en=GOOD.replace("## Summary", EXTRA + "## Summary"),
                   ja=change(JA_GOOD.replace("## まとめ", EXTRA + "## まとめ")))
    problems, _ = _run(root, en, ja, rule="parity")
    assert problems, "no parity problem reported"
    first = problems[0]
    assert first.path == "lessons_src/ja/01_good.md"
    assert first.line == _line(ja, fragment), (first, _line(ja, fragment))
    lines = dict(en=_line(en, "steps = 300"), imports=_line(en, "import numpy"))
    assert expected.format(**lines) in first.message, first.message
    assert "make sync" in first.message


def test_a_figure_name_and_a_caption(twins):
    root, write = twins
    en, ja = write("01_good.md",
                   en=GOOD.replace("## Summary", _figure("A curve.", "A line.") + "## Summary"),
                   ja=JA_GOOD.replace("## まとめ", _figure("曲線。", "線。") + "## まとめ"))
    assert _run(root, en, ja, rule="parity")[0] == []  # translated caption and alt text
    _, ja = write("01_good.md", en=None,
                  ja=JA_GOOD.replace("## まとめ", _figure("曲線。", "線。", "fig-b") + "## まとめ"))
    (problem,) = _run(root, en, ja, rule="parity")[0]
    assert problem.line == _line(ja, "name: fig-b")
    assert "'name': 'fig-b'" in problem.message and "'name': 'fig-a'" in problem.message


# --------------------------------------------------------------------------- test-lesson


def test_test_lesson_runs_no_seed_tests_for_a_twin():
    english = lessons.SOURCES / "01_basic_form.md"
    japanese = lessons.SOURCES / "ja" / "01_basic_form.md"
    assert testlesson.seed_tests(japanese) == []
    assert testlesson.seed_tests(english) == sorted((ROOT / "tests").glob("test_basic_form*.py"))
    assert check.resolve(["ja/01"]) == [japanese]


def test_english_left_in_a_japanese_lesson_is_reported_where_it_is(twins):
    root, write = twins
    figure = _figure("Three curves fall to the floor of the loss.", "三つの曲線。")
    english = GOOD.replace("## Summary", _figure("A curve.", "Three curves.") + "## Summary")
    text = (JA_GOOD.replace("## まとめ", figure + "## まとめ")
            .replace("終わり", "終わり\nThe loss falls to the floor of the bound.\n"
                     "(sec-kept-target)=\n"
                     "(Left in English: the loss falls to the floor.)\n"
                     "恒等写像 (identity map) と $x = y$、`model.train(data, lr)` です。"))
    _, ja = write("01_good.md", en=english, ja=text)
    problems, _ = _run(root, ja, rule="english-left")
    found = {p.line: p.message for p in problems}
    assert sorted(found) == sorted([_line(ja, "The loss falls"), _line(ja, "Three curves fall"),
                                    _line(ja, "(Left in English")])
    assert ("'The loss falls to the floor of the bo...': translate it"
            in found[_line(ja, "The loss falls")])
    assert "caption or alt text" in found[_line(ja, "Three curves fall")]
    comment = "\n```{code-cell} ipython3\nx = 1  # the value of the first weight\n```\n"
    _, ja = write("01_good.md", ja=JA_GOOD.replace("## まとめ", comment + "\n## まとめ"))
    problems, _ = _run(root, ja, rule="english-left")
    assert [p.line for p in problems] == [_line(ja, "the value of the first")]
    assert "code comment" in problems[0].message
