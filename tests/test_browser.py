"""The built site in a real browser (Chromium or Chrome) driven by Playwright.

Which browser: the executable named by the environment variable BOOK_BROWSER if it is
set; else the system's Chromium or Chrome (`chromium`, `chromium-browser`,
`google-chrome`, ...; Debian's `apt-get install chromium`, as .ci/run does), if it starts;
else Playwright's own Chromium (`python -m playwright install chromium`, as the GitHub
workflow does: on Ubuntu 24.04 apt's chromium is a snap that does not start on runners).

For every page of the table of contents, in light and dark mode: no console errors
and no failed requests; every image loaded and has alt text; the math rendered by
MathJax with no raw TeX left; the lesson's Colab link; a full-page screenshot in
_build/screenshots/. And the site search finds "autoencoder".
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from test_site import HTML, LESSONS, colab_url, toc_pages

from conftest import ROOT

pytestmark = pytest.mark.site

SHOTS = ROOT / "_build" / "screenshots"
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
@pytest.mark.parametrize("page_name", toc_pages())
def test_page_in_the_browser(browser, server, page_name, mode):
    context, page, problems = _open(browser, f"{server}/{page_name}.html", mode)
    try:
        if page.evaluate("() => document.querySelectorAll('.math').length"):
            page.wait_for_function("() => window.MathJax && MathJax.startup "
                                   "&& MathJax.startup.promise", timeout=15000)
            page.evaluate("() => MathJax.startup.promise")
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{page_name.replace('/', '_')}-{mode}.png"),
                        full_page=True)

        assert page.evaluate("() => document.documentElement.dataset.theme") == mode
        math = page.evaluate(MATH_STATE)
        assert math["rendered"] >= math["mathSources"], f"unrendered math: {math}"
        assert not math["rawTex"], "raw TeX delimiters are visible on the page"
        for image in page.evaluate(IMAGES):
            assert image["width"] > 0, f"image did not load: {image['src']}"
            assert image["alt"].strip(), f"image without alt text: {image['src']}"
        lesson = page_name.removeprefix("book/")
        if lesson in LESSONS:
            assert math["rendered"] > 0, "a lesson without rendered math"
            hrefs = page.eval_on_selector_all("a[href*='colab']", "as => as.map(a => a.href)")
            assert hrefs == [colab_url(lesson)]
        assert problems == []
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
