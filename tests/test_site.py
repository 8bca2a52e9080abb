"""The built sites (_build/html and the Japanese _build/html/ja): Colab badges and links,
downloads, language links between the editions, no error output on any page.

Needs `make build` first; `make test` does that.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

import build_ja
import parity
import sync

pytestmark = pytest.mark.site

HTML = ROOT / "_build" / "html"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
LESSONS = [p.stem for p in sync.lesson_sources()]
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def _pages(toc: dict) -> list[str]:
    pages = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        pages += [c["file"] for c in part["chapters"]]
    return pages


def toc_pages() -> list[str]:
    return _pages(TOC)


@dataclass(frozen=True)
class Edition:
    """One edition of the book as built: where its site is and what it holds."""
    name: str           # "en" or "ja"
    html: Path          # the site's root folder
    url: str            # the site's root, from the English site's root: "" or "ja/"
    prefix: str         # the docname prefix of its pages: "book/" or ""
    notebooks: str      # where its lessons' notebooks are committed: "book" or "book/ja"
    pages: tuple        # the docnames of its table of contents
    lessons: tuple      # the lesson stems it has

    def page(self, name: str) -> Path:
        return self.html / f"{name}.html"


_JA_TOC, _ = build_ja.japanese_toc(TOC, yaml.safe_load(build_ja.STRINGS.read_text("utf-8")))
EN = Edition("en", HTML, "", "book/", "book", tuple(toc_pages()), tuple(LESSONS))
JA = Edition("ja", HTML / "ja", "ja/", "", "book/ja", tuple(_pages(_JA_TOC)),
             tuple(s for s in LESSONS if s in set(_pages(_JA_TOC))))
EDITIONS = (EN, JA)
#: (edition, lesson) for every lesson of both editions
EDITION_LESSONS = [(e, lesson) for e in EDITIONS for lesson in e.lessons]
#: (edition, page) for every page of both editions
EDITION_PAGES = [(e, page) for e in EDITIONS for page in e.pages]


def _id(value):
    return value.name if isinstance(value, Edition) else str(value)


@pytest.fixture(scope="module")
def site() -> Path:
    for edition in EDITIONS:
        if not (edition.html / "index.html").exists():
            pytest.fail(f"the {edition.name} site is not built: run `make build` "
                        "(or `make test`) first")
    return HTML


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.images: list[dict] = []
        self.anchors: list[dict] = []
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
            self.anchors.append(attrs)
        if tag == "img":
            self.images.append(attrs)

    def with_class(self, name: str) -> list[dict]:
        return [a for a in self.anchors if name in (a.get("class") or "").split()]


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def colab_url(lesson: str, notebooks: str = "book") -> str:
    """The Colab URL of a lesson's committed notebook, from _config.yml."""
    repo = CONFIG["repository"]
    slug = repo["url"].rstrip("/").removeprefix("https://github.com/")
    base = CONFIG["launch_buttons"]["colab_url"].rstrip("/")
    return f"{base}/github/{slug}/blob/{repo['branch']}/{notebooks}/{lesson}.ipynb"


def _assert_committed(url: str) -> None:
    notebook = url.split(f"/blob/{CONFIG['repository']['branch']}/", 1)[1]
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", notebook], cwd=ROOT,
                             capture_output=True, text=True)
    assert tracked.returncode == 0, f"{notebook} (the Colab target) is not committed"


@pytest.mark.parametrize("edition, lesson", EDITION_LESSONS, ids=_id)
def test_colab_link_names_a_committed_notebook(site, edition, lesson):
    expected = colab_url(lesson, edition.notebooks)
    links = [h for h in _parse(edition.page(edition.prefix + lesson)).hrefs if "colab" in h]
    # the visible badge under the title, and the theme's launch menu
    assert links and set(links) == {expected}, f"{lesson}: Colab links {links}"
    _assert_committed(links[0])


@pytest.mark.parametrize("edition, lesson", EDITION_LESSONS, ids=_id)
def test_colab_badge_under_the_title_opens_the_committed_notebook(site, edition, lesson):
    path = edition.page(edition.prefix + lesson)
    badges = _parse(path).with_class("colab-badge")
    assert len(badges) == 1, f"{lesson}: {len(badges)} Colab badges"
    assert badges[0]["href"] == colab_url(lesson, edition.notebooks)
    _assert_committed(badges[0]["href"])
    text = path.read_text(encoding="utf-8")
    assert re.search(r'</h1>\s*<div class="edition-bar"><a class="colab-badge"', text), \
        f"{lesson}: the badge is not right under the title"


def test_badge_follows_a_fork(tmp_path):
    """The badge is built from the theme's repository options, which come from _config.yml."""
    import sys
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import edition_links

    class App:  # what edition_links.colab_url reads of a Sphinx app
        class config:
            html_theme_options = {"repository_url": "https://github.com/someone/fork",
                                  "repository_branch": "dev", "path_to_docs": "book/ja",
                                  "launch_buttons": {"colab_url": "https://colab.example/"}}
    assert edition_links.colab_url(App, "01_basic_form") == \
        "https://colab.example/github/someone/fork/blob/dev/book/ja/01_basic_form.ipynb"


@pytest.mark.parametrize("edition, lesson", EDITION_LESSONS, ids=_id)
def test_lesson_offers_ipynb_and_md_downloads(site, edition, lesson):
    page = edition.page(edition.prefix + lesson)
    hrefs = _parse(page).hrefs
    for suffix in (".ipynb", ".md"):
        target = edition.html / "_sources" / f"{edition.prefix}{lesson}{suffix}"
        href = os.path.relpath(target, page.parent)
        assert href in hrefs, f"{edition.name} {lesson}: no {suffix} download"
        assert target.exists()
    source = (ROOT / "lessons_src" / ("ja" if edition is JA else "") / f"{lesson}.md")
    md = edition.html / "_sources" / f"{edition.prefix}{lesson}.md"
    assert md.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def _twin(edition: Edition, page: str) -> tuple[Edition, str]:
    other = JA if edition is EN else EN
    return other, other.prefix + page.removeprefix(edition.prefix)


@pytest.mark.parametrize("edition, page", EDITION_PAGES, ids=_id)
def test_language_link_leads_to_the_same_page_and_back(site, edition, page):
    path = edition.page(page)
    links = _parse(path).with_class("edition-link")
    assert len(links) == 1, f"{edition.name} {page}: {len(links)} language links"
    target = (path.parent / links[0]["href"]).resolve()
    assert target.exists(), f"{edition.name} {page}: the language link {links[0]['href']} " \
                            "leads nowhere"
    other, twin = _twin(edition, page)
    if twin not in other.pages:  # not translated yet: the link goes to the other home
        assert page.removeprefix(edition.prefix) in parity.untranslated(), \
            f"{page} has no twin in the {other.name} edition"
        assert target == other.page(other.pages[0]).resolve()
        return
    assert target == other.page(twin).resolve(), f"{page} links to {target}, not {twin}"
    back = _parse(target).with_class("edition-link")
    assert len(back) == 1 and (target.parent / back[0]["href"]).resolve() == path.resolve(), \
        f"{twin} does not link back to {page}"
    assert links[0]["hreflang"] == other.name and back[0]["hreflang"] == edition.name


def test_each_intro_says_the_other_edition_exists(site):
    for edition, other_intro in ((EN, JA.page(JA.pages[0])), (JA, EN.page(EN.pages[0]))):
        path = edition.page(edition.pages[0])
        note = re.search(r'<p class="edition-note">(.*?)</p>', path.read_text("utf-8"), re.S)
        assert note, f"the {edition.name} intro does not mention the other edition"
        href = re.search(r'href="([^"]+)"', note.group(1)).group(1)
        assert (path.parent / href).resolve() == other_intro.resolve()


def test_japanese_site_speaks_japanese(site):
    for page in JA.pages:
        assert _parse(JA.page(page)).lang == "ja", f"ja {page}: <html lang> is not ja"
    lesson = JA.page(JA.prefix + JA.lessons[0]).read_text(encoding="utf-8")
    for label in ("練習", "解答", "目次", "コードを表示", "Colab</span>"):
        assert label in lesson, f"the Japanese lesson page lacks {label!r}"
    assert "Show code cell" not in lesson
    assert "検索" in (JA.html / "search.html").read_text(encoding="utf-8")
    options = (JA.html / "_static" / "documentation_options.js").read_text("utf-8")
    assert "LANGUAGE: 'ja'" in options
    index = (JA.html / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index.removeprefix("Search.setIndex(").removesuffix(")"))["terms"]
    assert {"主成", "成分", "分析", "恒等", "写像"} <= set(terms), \
        "the Japanese search index lacks the bigrams of 主成分分析 and 恒等写像"


def test_the_japanese_build_leaves_nothing_in_the_english_site(site):
    assert not (HTML / "jupyter_execute").exists(), \
        "_build/html/jupyter_execute: executed notebooks written into the English site"


def test_japanese_glossary_gives_each_term_its_english_name(site):
    text = JA.page("glossary").read_text(encoding="utf-8")
    groups = re.findall(r"((?:<dt[^>]*>.*?</dt>\s*)+)<dd>", text, re.S)
    assert len(groups) >= 20
    for group in groups:
        names = [re.sub(r"<[^>]+>", "", n) for n in re.findall(r"<dt[^>]*>(.*?)</dt>", group, re.S)]
        names = [n.replace("#", "").strip() for n in names]
        assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", n) for n in names), names
        assert any(re.fullmatch(r"[A-Za-z][A-Za-z \-–'’]*", n) for n in names), \
            f"the Japanese glossary entry {names} has no English name"


@pytest.mark.parametrize("edition, page", EDITION_PAGES, ids=_id)
def test_page_has_no_error_output_and_its_images_exist(site, edition, page):
    path = edition.page(page)
    text = path.read_text(encoding="utf-8")
    for marker in ("Traceback", "output stderr", "output traceback", "Error in",
                   "Warning:", "UserWarning", "DeprecationWarning"):
        assert marker not in text, f"{page}: the page shows {marker!r}"
    stray = re.search(r"&lt;[\w.]+(?: object)? at 0x[0-9a-f]+&gt;", text)
    assert not stray, (f"{page}: a cell prints {stray.group(0)!r}, the value of its last "
                       "line: end that line with ';' or assign it")
    for image in _parse(path).images:
        src = image.get("src", "")
        if not src.startswith(("http", "data:")):
            assert (path.parent / src).exists(), f"{page}: missing image {src}"
        assert image.get("alt"), f"{page}: image {src} has no alt text"


@pytest.mark.parametrize("edition", EDITIONS, ids=_id)
def test_repository_and_issue_buttons(site, edition):
    hrefs = _parse(edition.page(edition.prefix + edition.lessons[0])).hrefs
    url = CONFIG["repository"]["url"].rstrip("/")
    assert url in hrefs
    assert any(h.startswith(url + "/issues/new") for h in hrefs)


@pytest.mark.parametrize("edition", EDITIONS, ids=_id)
def test_math_is_left_for_mathjax_and_mathjax_is_served_locally(site, edition):
    page = edition.page(edition.prefix + edition.lessons[0]).read_text(encoding="utf-8")
    assert re.search(r'<script[^>]+src="[^"]*_static/mathjax/tex-chtml\.js', page)
    assert (edition.html / "_static" / "mathjax" / "tex-chtml.js").exists()


@pytest.mark.parametrize("edition, lesson", EDITION_LESSONS, ids=_id)
def test_lesson_has_exercises_with_collapsed_solutions(site, edition, lesson):
    page = edition.page(edition.prefix + lesson).read_text(encoding="utf-8")
    exercises = re.findall(r'class="[^"]*\bexercise\b[^"]*"', page)
    solutions = re.findall(r'class="([^"]*\bsolution\b[^"]*)"', page)
    assert len(exercises) >= 2, f"{lesson}: fewer than two exercises"
    assert len(solutions) >= len(exercises), f"{lesson}: an exercise without a solution"
    assert all("dropdown" in c for c in solutions), f"{lesson}: a solution is not collapsed"


@pytest.mark.parametrize("edition, lesson", EDITION_LESSONS, ids=_id)
def test_lesson_links_the_glossary_and_cites_the_references(site, edition, lesson):
    hrefs = _parse(edition.page(edition.prefix + lesson)).hrefs
    assert any(h.startswith("glossary.html#term-") for h in hrefs), f"{lesson}: no glossary link"
    assert any(h.startswith("references.html#id") for h in hrefs), f"{lesson}: no citation"


@pytest.mark.parametrize("edition", EDITIONS, ids=_id)
def test_references_page_holds_the_cited_works(site, edition):
    text = edition.page(edition.prefix + "references").read_text(encoding="utf-8")
    for author in ("Eckart", "Baldi", "Oja", "Plaut", "Kunin", "Bao"):
        assert author in text, f"the references page lacks {author}"


def test_glossary_gives_english_and_japanese_names(site):
    text = (site / "book" / "glossary.html").read_text(encoding="utf-8")
    terms = re.findall(r'<dt id="term-[^"]*">(.*?)<', text)
    assert len(terms) >= 20
    definitions = re.findall(r"<dd>(.*?)</dd>", text, re.S)
    japanese = [d for d in definitions if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", d)]
    assert len(japanese) >= 0.8 * len(terms), "most terms need their Japanese name"
