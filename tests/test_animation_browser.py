"""Lesson 6's training animation on the built sites: it plays, it speaks the edition's
language, axe finds nothing in the player, and the page stays light.

Reuses the server and browser fixtures of test_browser.py. Needs `make build` first.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import yaml
from test_browser import SHOTS, _axe_violations, _open, browser, server  # noqa: F401
from test_site import EDITIONS, HTML, _id

from conftest import ROOT

pytestmark = pytest.mark.site

LESSON = "06_learning_dynamics"
PAGE = f"book/{LESSON}"
IMAGE = "img[id^='_anim_img']"
SLIDER = "input[id^='_anim_slider']"
CURRENT = f"document.querySelector(\"{IMAGE}\").src"   # the frame shown now
SHOWN = f"() => {CURRENT}"
#: the player's control names, English -> Japanese (book/_ext/animation_player.py)
JAPANESE = yaml.safe_load((ROOT / "book" / "ja" / "_edition.yml").read_text(
    encoding="utf-8"))["player"]
BUTTONS = ["Decrease speed", "First frame", "Previous frame", "Play backwards", "Pause",
           "Play", "Next frame", "Last frame", "Increase speed"]


def _name(edition, english: str) -> str:
    """What a control called `english` by to_html is called in this edition."""
    return JAPANESE[english] if edition.name == "ja" else english


def _alt_metadata(edition) -> str:
    """The animation cell's `mystnb: image: alt`, in this edition's notebook."""
    notebook = json.loads((ROOT / edition.notebooks / f"{LESSON}.ipynb").read_text("utf-8"))
    cells = [c for c in notebook["cells"]
             if c["cell_type"] == "code" and "animation.to_html(" in "".join(c["source"])]
    assert len(cells) == 1
    return " ".join(cells[0]["metadata"]["mystnb"]["image"]["alt"].split())


def _url(server, edition) -> str:
    return f"{server}/{edition.url}{edition.prefix}{LESSON}.html"


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("edition", EDITIONS, ids=_id)
def test_pressing_play_changes_the_shown_frame(browser, server, edition, mode):  # noqa: F811
    context, page, problems = _open(browser, _url(server, edition), mode)
    try:
        assert page.locator(IMAGE).count() == 1
        page.locator(IMAGE).scroll_into_view_if_needed()
        page.wait_for_function(f"() => {{ const i = document.querySelector(\"{IMAGE}\");"
                               " return i.src.startsWith('data:image/png') && i.naturalWidth > 0; }")
        first = page.evaluate(SHOWN)
        assert page.input_value(SLIDER) == "0"
        # by their accessible names, in the edition's language
        page.get_by_role("button", name=_name(edition, "Play"), exact=True).click()
        page.wait_for_function(f"(first) => {CURRENT} !== first", arg=first, timeout=10000)
        assert int(page.input_value(SLIDER)) > 0
        page.get_by_role("button", name=_name(edition, "Pause"), exact=True).click()
        paused = page.evaluate(SHOWN)
        page.wait_for_timeout(1000)                 # several frame intervals
        assert page.evaluate(SHOWN) == paused       # pause holds the frame
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("div.animation").screenshot(
            path=str(SHOTS / f"animation-{edition.name}-{mode}.png"))
        assert problems == []
        # the player as left mid-way (the whole page, first state, is test_browser.py's)
        assert _axe_violations(page, mode, context="div.animation") == []
    finally:
        context.close()


@pytest.mark.parametrize("edition", EDITIONS, ids=_id)
def test_the_player_speaks_the_editions_language(browser, server, edition):  # noqa: F811
    """The frames' alt text is the cell's alt metadata, not the code's English alt=
    string, and the slider, buttons and repetition modes are named in the edition's
    language, as the browser computes the names."""
    context, page, problems = _open(browser, _url(server, edition), "light")
    try:
        alt = page.get_attribute(IMAGE, "alt")
        assert alt == _alt_metadata(edition)
        japanese = re.search("[\u3040-\u30ff\u4e00-\u9fff]", alt)
        assert bool(japanese) == (edition.name == "ja"), alt
        assert page.locator("html").get_attribute("lang") == edition.name
        tree = page.locator("div.animation").aria_snapshot()
        assert f'- slider "{_name(edition, "Animation frame")}"' in tree, tree
        for control in BUTTONS:
            assert f'- button "{_name(edition, control)}"' in tree, tree
        assert f'- form "{_name(edition, "Repetition mode")}"' in tree, tree
        for mode in ("Once", "Loop", "Reflect"):
            assert f'- radio "{_name(edition, mode)}"' in tree, tree
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
