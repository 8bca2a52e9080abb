"""The built sites in a real browser (Chromium or Chrome) driven by Playwright.

Which browser: the executable named by the environment variable BOOK_BROWSER if it is
set; else the system's Chromium or Chrome (`chromium`, `chromium-browser`,
`google-chrome`, ...; Debian's `apt-get install chromium`, as .ci/run does), if it starts;
else Playwright's own Chromium (`python -m playwright install chromium`, as the GitHub
workflow does: on Ubuntu 24.04 apt's chromium is a snap that does not start on runners).

For every page of both editions' tables of contents (English _build/html, Japanese
_build/html/ja), in light and dark mode: no console errors and no failed requests;
every image loaded and has alt text; the math rendered by MathJax with no raw TeX left;
the lesson's visible Colab badge; the visible link to the other language's page, which
loads; a screenshot in _build/screenshots/ (the first screen; the whole page with
BOOK_SCREENSHOTS=full); and axe-core (bundled with
axe-playwright-python, no network) finds no accessibility violation. And the site
search finds "autoencoder", the Japanese one 主成分分析 and 恒等写像.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path
import urllib.parse

import pytest
from test_site import EDITION_PAGES, EN, HTML, JA, LESSONS, _id, colab_url

import parity
from conftest import ROOT

pytestmark = pytest.mark.site

SHOTS = ROOT / "_build" / "screenshots"
#: BOOK_SCREENSHOTS=full: whole-page screenshots (about 2 s a page view); otherwise the
#: first screen of each page, enough to glance at the layout in both schemes
FULL_SHOTS = os.environ.get("BOOK_SCREENSHOTS", "") == "full"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update",
                 "--disable-sync"]


BROWSER_VARIABLE = "BOOK_BROWSER"
SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                   "chrome")


def _starts(path: str) -> bool:
    """Whether an executable is a browser that runs (a snap stub without its snap fails)."""
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True,
                                timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and any(w in result.stdout for w in ("Chromium", "Chrome"))


def playwright_browser() -> str | None:
    """Playwright's own Chromium, if `python -m playwright install chromium` put it there."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as p:
        path = p.chromium.executable_path
    return path if path and Path(path).exists() else None


def find_browser() -> tuple[str | None, str]:
    """(executable or None for Playwright's default, where it came from); skip if none."""
    chosen = os.environ.get(BROWSER_VARIABLE, "").strip()
    if chosen:
        path = shutil.which(chosen) or chosen
        if not Path(path).exists():
            pytest.fail(f"{BROWSER_VARIABLE}={chosen} does not exist")
        return path, BROWSER_VARIABLE
    for name in SYSTEM_BROWSERS:
        path = shutil.which(name)
        if path and _starts(path):
            return path, "system"
    path = playwright_browser()
    if path:
        return path, "playwright"
    message = ("no browser: set BOOK_BROWSER, install Chromium (apt-get install chromium) "
               "or run `.venv/bin/python -m playwright install chromium`")
    if os.environ.get("CI"):
        pytest.fail(message)  # in CI a missing browser is a failure, not a skip
    pytest.skip(message)


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("the site is not built: run `make build` first")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable, _ = find_browser()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser, url: str, mode: str):
    context = browser.new_context(viewport={"width": 1200, "height": 900},
                                  color_scheme=mode)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    return context, page, problems


#: axe-core rules that may report a violation, each with the reason (moderate or minor
#: impact only; a serious or critical violation always fails). Empty: none may.
A11Y_ALLOWED: dict[str, str] = {}


#: the rules whose result depends on the colour scheme; in dark mode only these run
#: (every other rule checks the same HTML in both schemes, and ran in light mode)
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def _axe_violations(page, mode: str, context: str | None = None) -> list[str]:
    """axe-core's violations on the page, or only in the elements matching `context`."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"]}
    if mode == "dark":
        options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
    results = Axe().run(page, context=context, options=options).response
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])} element(s), first "
            f"{v['nodes'][0]['target']}: {v['help']}"
            for v in results["violations"]
            if v["impact"] in ("serious", "critical") or v["id"] not in A11Y_ALLOWED]


MATH_STATE = """() => {
  const article = document.querySelector('article') || document.body;
  const clone = article.cloneNode(true);
  clone.querySelectorAll('pre, code, mjx-container, script').forEach(e => e.remove());
  return {
    mathSources: article.querySelectorAll('.math').length,
    rendered: article.querySelectorAll('mjx-container').length,
    rawTex: /\\$\\$|\\\\\\(|\\\\\\[|\\\\begin\\{/.test(clone.innerText),
  };
}"""

IMAGES = """() => Array.from(document.querySelectorAll('article img')).map(i => ({
  src: i.getAttribute('src'), width: i.naturalWidth, alt: i.getAttribute('alt') || ''}))"""


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("edition, page_name", EDITION_PAGES, ids=_id)
def test_page_in_the_browser(browser, server, edition, page_name, mode):
    context, page, problems = _open(browser, f"{server}/{edition.url}{page_name}.html", mode)
    try:
        if page.evaluate("() => document.querySelectorAll('.math').length"):
            page.wait_for_function("() => window.MathJax && MathJax.startup "
                                   "&& MathJax.startup.promise", timeout=15000)
            page.evaluate("() => MathJax.startup.promise")
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = f"{edition.url}{page_name}".replace("/", "_")
        if not FULL_SHOTS:
            page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / f"{shot}-{mode}.png"), full_page=FULL_SHOTS)

        assert page.evaluate("() => document.documentElement.dataset.theme") == mode
        math = page.evaluate(MATH_STATE)
        assert math["rendered"] >= math["mathSources"], f"unrendered math: {math}"
        assert not math["rawTex"], "raw TeX delimiters are visible on the page"
        for image in page.evaluate(IMAGES):
            assert image["width"] > 0, f"image did not load: {image['src']}"
            assert image["alt"].strip(), f"image without alt text: {image['src']}"
        lesson = page_name.removeprefix(edition.prefix)
        if lesson in edition.lessons:
            assert math["rendered"] > 0, "a lesson without rendered math"
            hrefs = page.eval_on_selector_all("a[href*='colab']", "as => as.map(a => a.href)")
            assert set(hrefs) == {colab_url(lesson, edition.notebooks)}, hrefs
            badge = page.locator("a.colab-badge")
            assert badge.count() == 1 and badge.is_visible(), "no visible Colab badge"
            assert badge.get_attribute("href") == colab_url(lesson, edition.notebooks)
        link = page.locator("a.edition-link")
        assert link.count() == 1 and link.is_visible(), "no visible language link"
        response = page.request.get(urllib.parse.urljoin(page.url, link.get_attribute("href")))
        assert response.ok, f"the language link {link.get_attribute('href')} fails"
        assert problems == []
        # last: axe's own probes (it fetches style sheets) are not the page's requests
        assert _axe_violations(page, mode) == []
    finally:
        context.close()


def test_search_finds_autoencoder(browser, server):
    context, page, problems = _open(browser, f"{server}/search.html?q=autoencoder", "light")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=15000)
        hits = page.eval_on_selector_all("#search-results ul.search li a",
                                         "as => as.map(a => a.getAttribute('href'))")
        assert any(f"{LESSONS[0]}.html" in h for h in hits), hits
        assert problems == []
    finally:
        context.close()


def _search(browser, server, edition, query: str) -> list[str]:
    url = f"{server}/{edition.url}search.html?q={urllib.parse.quote(query)}"
    context, page, problems = _open(browser, url, "light")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=15000)
        # results appear one by one; the summary is written after the last one
        page.wait_for_function("() => document.querySelector("
                               "'#search-results .search-summary').innerText", timeout=15000)
        assert problems == []
        return page.eval_on_selector_all("#search-results ul.search li a",
                                         "as => as.map(a => a.getAttribute('href'))")
    finally:
        context.close()


@pytest.mark.parametrize("query, lesson", [
    ("主成分分析", "04_pca"),
    ("恒等写像", "03_identity_map"),
    ("誤差逆伝播法", "01_basic_form"),
])
def test_japanese_search_finds_the_right_lessons(browser, server, query, lesson):
    hits = [h.split("#")[0] for h in _search(browser, server, JA, query)]
    assert "glossary.html" in hits, f"{query}: the glossary was not found: {hits}"
    if lesson not in JA.lessons and lesson in parity.untranslated():
        pytest.xfail(f"{lesson} is not translated yet (lessons_src/ja/untranslated.txt)")
    assert f"{lesson}.html" in hits, f"{query}: {lesson} was not found: {hits}"


CAPTION_STYLE = """() => {
  const style = e => { const s = getComputedStyle(e); return [s.color, s.fontWeight]; };
  const body = document.querySelector('article section p');
  return {body: style(body), captions: Array.from(document.querySelectorAll(
    'article figure figcaption, article figure figcaption p, article figcaption .caption-text'
  )).map(style)};
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("edition", [e for e in (EN, JA) if e.lessons], ids=lambda e: e.name)
def test_figure_captions_read_like_the_body_text(browser, server, edition, mode):
    """The theme's `figure figcaption` is muted grey at weight 300; custom.css must win."""
    lesson = edition.lessons[0]
    context, page, _ = _open(browser, f"{server}/{edition.url}{edition.prefix}{lesson}.html",
                             mode)
    try:
        found = page.evaluate(CAPTION_STYLE)
        assert found["captions"], f"{lesson}: no figure caption"
        color, _ = found["body"]
        for caption in found["captions"]:
            assert caption == [color, "400"], (caption, found["body"])
    finally:
        context.close()
