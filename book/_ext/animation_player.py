"""The training animation's player in the edition's language: its alt text and controls.

A notebook cell that shows an animation with `helpers.animation.to_html` has an HTML
output: matplotlib's JavaScript player, whose frames are one `<img id="_anim_img...">`.
Its alt text is the `alt=` string of the code, and its controls are named in English
(the buttons' `title` and `aria-label`, the slider's `aria-label`, the repetition mode's
labels). The code is the same in both editions (scripts/parity.py), so on the built
site this step puts each edition's language in, for that output only:

- the frames' alt text becomes the cell's `mystnb: image: alt` metadata, which myst-nb
  itself applies only to image outputs (a cell without it keeps the code's alt text);
- every control name found in `animation_player_labels` (English -> this edition's
  language; scripts/build_ja.py fills it from `player:` in book/ja/_edition.yml) is
  replaced. With labels given, a control name missing from them is a warning, which
  fails the strict build, so a new control in matplotlib's template cannot stay English.

The English edition has no labels: its player keeps the names to_html writes. In Colab
(no Sphinx) the code's own English alt text and names are shown.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

FRAME = re.compile(r'<img id="(_anim_img[A-Za-z0-9_]+)"(?: alt="[^"]*")?>')
#: a control's name: a title or aria-label attribute, or a <label>'s text
NAMES = re.compile(r'\b(title|aria-label)="([^"]*)"|(<label [^>]*>)([^<]*)</label>')


def localize(text: str, alt: str | None, labels: dict[str, str]) -> tuple[str, list[str]]:
    """The player's HTML with the frames' alt text and its control names replaced.

    Returns (html, names that `labels` does not translate, when `labels` is not empty).
    """
    missing: list[str] = []

    def name(match: re.Match) -> str:
        english = match[2] if match[1] else match[4]
        if not labels:
            return match[0]
        if english not in labels:
            missing.append(english)
            return match[0]
        local = html.escape(labels[english], quote=True)
        return f'{match[1]}="{local}"' if match[1] else f"{match[3]}{local}</label>"

    text = NAMES.sub(name, text)
    if alt and alt.strip():
        alt_text = html.escape(" ".join(alt.split()), quote=True)
        text = FRAME.sub(lambda m: f'<img id="{m[1]}" alt="{alt_text}">', text, count=1)
    return text, missing


class LocalizePlayer(SphinxPostTransform):
    """Apply `localize` to the HTML output of every code cell that shows the player."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs) -> None:
        labels = dict(self.config.animation_player_labels or {})
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") != "cell_code":
                continue
            metadata = cell.get("cell_metadata") or {}
            alt = ((metadata.get("mystnb") or {}).get("image") or {}).get("alt")
            for raw in list(cell.findall(nodes.raw)):
                text = raw.astext()
                if "html" not in raw.get("format", "").split() or not FRAME.search(text):
                    continue
                new, missing = localize(text, alt, labels)
                for english in sorted(set(missing)):
                    logger.warning("the animation player's control %r has no translation "
                                   "in animation_player_labels (book/ja/_edition.yml, "
                                   "`player:`)", english, location=raw)
                raw.replace_self(nodes.raw(raw.rawsource, new, **raw.attributes))


def setup(app: Sphinx) -> dict:
    app.add_config_value("animation_player_labels", {}, "html", types=[dict])
    app.add_post_transform(LocalizePlayer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
