"""The Japanese edition's text: search that finds compound words, and line breaks.

1. Search. (Also: Sphinx 7.4's Japanese catalog leaves the search's closing message
empty; it is filled in.) Sphinx's own Japanese search splits the text into words with TinySegmenter when it
builds the index (主成分分析 becomes 主成 / 分分 / 析), but splits the reader's query only
at spaces and punctuation in the browser, so the query 主成分分析 is one word that is
not in the index and finds nothing.

This extension makes both sides split alike, with character bigrams, the usual way of
indexing Japanese without a dictionary: every run of kanji and kana is cut into
overlapping pairs of characters (主成分分析 -> 主成, 成分, 分分, 分析), other words are
kept whole (PCA, 2x2), and a query matches a page that holds all of its pairs. The same
rule is written twice, in Python for the index and in JavaScript for the query; the
tests search the built site in Chromium.

2. Line breaks. The Japanese sources are written one sentence a line; a browser shows
the line break between two Japanese characters as a space ("です。 次に"). A break
between two Japanese characters, or next to full-width punctuation, is removed from the
text (not from code or math); a break between a Japanese character and a Latin word or
a formula stays a space, as the style note (lessons_src/ja/STYLE.md) asks for there.

Used by the Japanese edition only (scripts/build_ja.py adds it); it replaces the search
language `ja`.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search.ja import SearchJapanese
from sphinx.transforms import SphinxTransform

# hiragana, katakana (with ー), CJK ideographs (extension A, unified, compatibility),
# half-width katakana, and the iteration marks 々 〆
_CJK = "\u3005\u3006\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_RUNS = re.compile(f"[{_CJK}]+|[^{_CJK}]+")
_WORD = re.compile(r"\w+")
# Japanese characters and full-width punctuation (、。「」（）：！？ and the like)
_WIDE = _CJK + "\u3000-\u303f\uff01-\uff65"
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
_PUNCT = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
_BREAK = re.compile(r"[ \t]*\n[ \t]*")

SPLITTER_JS = r"""
/* Sphinx 7.4's Japanese catalog leaves the search's closing message untranslated (""),
   and its JavaScript then shows nothing: give it the Japanese text. */
if (!Documentation.TRANSLATIONS["Search finished, found ${resultCount} page(s) matching the search query."])
  Documentation.TRANSLATIONS["Search finished, found ${resultCount} page(s) matching the search query."] =
    "検索が終わりました。条件に一致するページが ${resultCount} 件見つかりました。";

/* Japanese: the same character bigrams as book/_ext/japanese.py (Python). */
const CJK_RUN = /[\u3005\u3006\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+|[^\u3005\u3006\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+/gu;
const IS_CJK = /^[\u3005\u3006\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/u;
var splitQuery = (query) => {
  const terms = [];
  for (const word of query.split(/[^\p{Letter}\p{Number}_]+/gu)) {
    if (!word) continue;
    for (const run of word.match(CJK_RUN)) {
      if (!IS_CJK.test(run) || run.length < 3) { terms.push(run); continue; }
      for (let i = 0; i + 2 <= run.length; i++) terms.push(run.substring(i, i + 2));
    }
  }
  return terms;
};
"""


def split(text: str) -> list[str]:
    """Words for the index: kanji/kana runs as bigrams, other words whole."""
    terms = []
    for word in _WORD.findall(text):
        for run in _RUNS.findall(word):
            if len(run) >= 3 and re.match(f"[{_CJK}]", run):
                terms.extend(run[i:i + 2] for i in range(len(run) - 1))
            else:
                terms.append(run)
    return terms


class BigramJapanese(SearchJapanese):
    """The `ja` search language, with bigrams on both sides."""

    js_splitter_code = SPLITTER_JS

    def init(self, options: dict[str, str]) -> None:
        pass  # no TinySegmenter

    def split(self, input: str) -> list[str]:
        return split(input)

    def word_filter(self, stemmed_word: str) -> bool:
        # keep one-character kanji words (式, 値), drop single Latin letters
        return len(stemmed_word) > 1 or bool(re.match(f"[{_CJK}]", stemmed_word))


class JoinJapaneseLines(SphinxTransform):
    """Remove line breaks between Japanese characters in running text.

    A break goes when the characters on both sides are Japanese, or when either side is
    full-width punctuation (、。「」（）：, which carry their own space). MyST writes a
    soft line break as its own text node ("\n") between the text or inline elements
    (emphasis, links, roles) around it, so a break at the edge of a text node is judged
    by the neighbouring node's first or last character; math and code count as Latin.
    """

    default_priority = 700
    _SKIP = (nodes.FixedTextElement, nodes.literal, nodes.math, nodes.raw, nodes.comment)

    @staticmethod
    def _edge(node: nodes.Node | None, last: bool) -> str:
        if node is None:
            return " "
        if isinstance(node, (nodes.math, nodes.literal)):
            return "a"
        text = node.astext()
        return (text[-1] if last else text[0]) if text else " "

    @staticmethod
    def joinable(before: str, after: str) -> bool:
        if _PUNCT.match(before) or _PUNCT.match(after):
            return True
        return bool(_WIDE_CHAR.match(before) and _WIDE_CHAR.match(after))

    def apply(self, **kwargs) -> None:
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or isinstance(parent, self._SKIP) or "\n" not in text:
                continue
            # by identity: Node.index() compares with ==, and every "\n" is equal
            index = next(i for i, child in enumerate(parent.children) if child is text)
            value = str(text)
            previous = self._edge(parent[index - 1] if index else None, last=True)
            following = self._edge(parent[index + 1] if index + 1 < len(parent) else None,
                                   last=False)

            def join(match: re.Match) -> str:
                before = value[match.start() - 1] if match.start() else previous
                after = value[match.end()] if match.end() < len(value) else following
                return "" if self.joinable(before, after) else match.group()

            joined = _BREAK.sub(join, value)
            if joined != value:  # replaced in place: Node.replace() also uses ==
                parent.children[index] = nodes.Text(joined)
                parent.children[index].parent = parent


def setup(app: Sphinx) -> dict:
    app.add_search_language(BigramJapanese)
    app.add_transform(JoinJapaneseLines)
    # bump env_version when the transform changes: cached pages are read again
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
