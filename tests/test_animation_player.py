"""book/_ext/animation_player.py: the player's alt text and control names per edition.

On a small real player from helpers.animation.to_html; the built pages are checked in
tests/test_animation_browser.py.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pytest
import yaml
from docutils import nodes
from docutils.utils import new_document
from matplotlib.animation import FuncAnimation

from conftest import ROOT
from helpers import animation

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import animation_player  # noqa: E402  (a Sphinx extension)

LABELS = yaml.safe_load((ROOT / "book" / "ja" / "_edition.yml").read_text(
    encoding="utf-8"))["player"]


@pytest.fixture(scope="module")
def player() -> str:
    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    line, = ax.plot([], [])
    film = FuncAnimation(fig, lambda i: [line.set_data([0, i], [0, i]) or line],
                         frames=2, repeat=False)
    plt.close(fig)
    return animation.to_html(film, alt="English <alt>", name="demo")


def _names(text: str) -> list[str]:
    return [m[2] or m[4] for m in animation_player.NAMES.finditer(text)]


def test_the_japanese_labels_name_every_control(player):
    text, missing = animation_player.localize(player, "花の内部表現 \n が「広がる」", LABELS)
    assert missing == []
    names = _names(text)
    # the slider, 9 buttons and the repetition form (title and aria-label), 3 radio labels
    assert len(names) == 1 + 2 * 9 + 2 + 3 and set(names) <= set(LABELS.values())
    assert not set(names) & set(LABELS)                                # no English left
    assert f'aria-label="{LABELS["Animation frame"]}"' in text         # the slider
    assert '<img id="_anim_imgdemo" alt="花の内部表現 が「広がる」">' in text
    assert "English" not in text


def test_without_labels_only_the_alt_text_changes(player):
    text, missing = animation_player.localize(player, 'A "quoted" <alt>', {})
    assert missing == []
    assert text == player.replace('alt="English &lt;alt>"',
                                  'alt="A &quot;quoted&quot; &lt;alt&gt;"')


def test_without_alt_metadata_the_code_alt_text_stays(player):
    assert animation_player.localize(player, None, {}) == (player, [])
    assert animation_player.localize(player, "  ", {}) == (player, [])


def test_a_control_without_a_translation_is_reported(player):
    labels = {k: v for k, v in LABELS.items() if k != "Reflect"}
    text, missing = animation_player.localize(player, None, labels)
    assert missing == ["Reflect"] and ">Reflect</label>" in text


def _cell(metadata: dict, *outputs: str) -> nodes.container:
    cell = nodes.container(nb_element="cell_code", cell_metadata=metadata)
    cell += [nodes.raw("", text, format="html") for text in outputs]
    return cell


def test_the_transform_changes_the_player_and_nothing_else(player):
    other = '<div title="Play"><img id="x" alt="x"><label for="a">Once</label></div>'
    document = new_document("lesson")
    document.settings.env = SimpleNamespace(
        config=SimpleNamespace(animation_player_labels=LABELS))
    metadata = {"mystnb": {"image": {"alt": "日本語の代替テキスト"}}}
    document += [_cell(metadata, other, player), _cell({}, player),
                 nodes.raw("", player, format="html")]     # not a notebook cell
    animation_player.LocalizePlayer(document).run()
    first, second, outside = [r.astext() for r in document.findall(nodes.raw)][1:]
    assert [r.astext() for r in document.findall(nodes.raw)][0] == other
    assert 'alt="日本語の代替テキスト"' in first and 'title="再生"' in first
    assert 'alt="English &lt;alt>"' in second and 'title="再生"' in second
    assert outside == player
