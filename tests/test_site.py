"""The built site (_build/html): Colab links, downloads, no error output on any page.

Needs `make build` first; `make test` does that.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

import sync

pytestmark = pytest.mark.site

HTML = ROOT / "_build" / "html"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
LESSONS = [p.stem for p in sync.lesson_sources()]


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        pages += [c["file"] for c in part["chapters"]]
    return pages


@pytest.fixture(scope="module")
def site() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail("the site is not built: run `make build` (or `make test`) first")
    return HTML


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def colab_url(lesson: str) -> str:
    repo = CONFIG["repository"]
    slug = repo["url"].rstrip("/").removeprefix("https://github.com/")
    base = CONFIG["launch_buttons"]["colab_url"].rstrip("/")
    return f"{base}/github/{slug}/blob/{repo['branch']}/book/{lesson}.ipynb"


@pytest.mark.parametrize("lesson", LESSONS)
def test_colab_link_names_a_committed_notebook(site, lesson):
    links = [h for h in _parse(site / "book" / f"{lesson}.html").hrefs if "colab" in h]
    assert links == [colab_url(lesson)], f"{lesson}: Colab links {links}"
    notebook = links[0].split(f"/blob/{CONFIG['repository']['branch']}/", 1)[1]
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", notebook], cwd=ROOT,
                             capture_output=True, text=True)
    assert tracked.returncode == 0, f"{notebook} (the Colab target) is not committed"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_offers_ipynb_and_md_downloads(site, lesson):
    page = site / "book" / f"{lesson}.html"
    hrefs = _parse(page).hrefs
    for suffix in (".ipynb", ".md"):
        href = f"../_sources/book/{lesson}{suffix}"
        assert href in hrefs, f"{lesson}: no {suffix} download"
        assert (page.parent / href).resolve().exists()


@pytest.mark.parametrize("page", toc_pages())
def test_page_has_no_error_output_and_its_images_exist(site, page):
    path = site / f"{page}.html"
    text = path.read_text(encoding="utf-8")
    for marker in ("Traceback", "output stderr", "output traceback", "Error in",
                   "Warning:", "UserWarning", "DeprecationWarning"):
        assert marker not in text, f"{page}: the page shows {marker!r}"
    for image in _parse(path).images:
        src = image.get("src", "")
        if not src.startswith(("http", "data:")):
            assert (path.parent / src).exists(), f"{page}: missing image {src}"
        assert image.get("alt"), f"{page}: image {src} has no alt text"


def test_repository_and_issue_buttons(site):
    hrefs = _parse(site / "book" / f"{LESSONS[0]}.html").hrefs
    url = CONFIG["repository"]["url"].rstrip("/")
    assert url in hrefs
    assert any(h.startswith(url + "/issues/new") for h in hrefs)


def test_math_is_left_for_mathjax_and_mathjax_is_served_locally(site):
    page = (site / "book" / f"{LESSONS[0]}.html").read_text(encoding="utf-8")
    assert re.search(r'<script[^>]+src="[^"]*_static/mathjax/tex-chtml\.js', page)
    assert (site / "_static" / "mathjax" / "tex-chtml.js").exists()


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_has_exercises_with_collapsed_solutions(site, lesson):
    page = (site / "book" / f"{lesson}.html").read_text(encoding="utf-8")
    exercises = re.findall(r'class="[^"]*\bexercise\b[^"]*"', page)
    solutions = re.findall(r'class="([^"]*\bsolution\b[^"]*)"', page)
    assert len(exercises) >= 2, f"{lesson}: fewer than two exercises"
    assert len(solutions) >= len(exercises), f"{lesson}: an exercise without a solution"
    assert all("dropdown" in c for c in solutions), f"{lesson}: a solution is not collapsed"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_links_the_glossary_and_cites_the_references(site, lesson):
    hrefs = _parse(site / "book" / f"{lesson}.html").hrefs
    assert any(h.startswith("glossary.html#term-") for h in hrefs), f"{lesson}: no glossary link"
    assert any(h.startswith("references.html#id") for h in hrefs), f"{lesson}: no citation"


def test_references_page_holds_the_cited_works(site):
    text = (site / "book" / "references.html").read_text(encoding="utf-8")
    for author in ("Eckart", "Baldi", "Oja", "Plaut", "Kunin", "Bao"):
        assert author in text, f"the references page lacks {author}"


def test_glossary_gives_english_and_japanese_names(site):
    text = (site / "book" / "glossary.html").read_text(encoding="utf-8")
    terms = re.findall(r'<dt id="term-[^"]*">(.*?)<', text)
    assert len(terms) >= 20
    definitions = re.findall(r"<dd>(.*?)</dd>", text, re.S)
    japanese = [d for d in definitions if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", d)]
    assert len(japanese) >= 0.8 * len(terms), "most terms need their Japanese name"
