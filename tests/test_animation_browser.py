"""Lesson 6's training animation on the built site: it plays, and the page stays light.

Reuses the server and browser fixtures of test_browser.py. Needs `make build` first.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from test_browser import SHOTS, _open, browser, server  # noqa: F401 - fixtures
from test_site import HTML

pytestmark = pytest.mark.site

PAGE = "book/06_learning_dynamics"
IMAGE = "img[id^='_anim_img']"
SLIDER = "input[id^='_anim_slider']"
CURRENT = f"document.querySelector(\"{IMAGE}\").src"   # the frame shown now
SHOWN = f"() => {CURRENT}"


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_pressing_play_changes_the_shown_frame(browser, server, mode):  # noqa: F811
    context, page, problems = _open(browser, f"{server}/{PAGE}.html", mode)
    try:
        assert page.locator(IMAGE).count() == 1
        page.locator(IMAGE).scroll_into_view_if_needed()
        page.wait_for_function(f"() => {{ const i = document.querySelector(\"{IMAGE}\");"
                               " return i.src.startsWith('data:image/png') && i.naturalWidth > 0; }")
        assert page.get_attribute(IMAGE, "alt").strip()
        first = page.evaluate(SHOWN)
        assert page.input_value(SLIDER) == "0"
        page.click("button[title='Play']")
        page.wait_for_function(f"(first) => {CURRENT} !== first", arg=first, timeout=10000)
        assert int(page.input_value(SLIDER)) > 0
        page.click("button[title='Pause']")
        paused = page.evaluate(SHOWN)
        page.wait_for_timeout(1000)                 # several frame intervals
        assert page.evaluate(SHOWN) == paused       # pause holds the frame
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("div.animation").screenshot(path=str(SHOTS / f"animation-{mode}.png"))
        assert problems == []
    finally:
        context.close()


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src")
        if tag == "img" and src:
            self.sources.append(src)


def test_the_lesson_page_stays_under_one_and_a_half_megabytes():
    path = HTML / f"{PAGE}.html"
    if not path.exists():
        pytest.fail("the site is not built: run `make build` first")
    text = path.read_text(encoding="utf-8")
    parser = _Images()
    parser.feed(text)
    files = [path.parent / src for src in parser.sources if not src.startswith(("data:", "http"))]
    total = path.stat().st_size + sum(f.stat().st_size for f in files)
    assert len(re.findall(r"data:image/png;base64,", text)) >= 10   # the animation's frames
    assert total < 1.5e6, f"{PAGE}: {total / 1e6:.2f} MB of HTML and images"
