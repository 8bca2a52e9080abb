"""Offer each lesson's MyST Markdown source beside its .ipynb in the download menu.

The site's pages are built from book/NN_name.ipynb; the lesson's editable source is
lessons_src/NN_name.md. This extension copies that source into the built site
(_sources/book/NN_name.md) and adds a ".md" entry to sphinx-book-theme's download menu.

Two settings let the Japanese edition (built from book/ja/ by scripts/build_ja.py) do
the same with lessons_src/ja/NN_name.md: `lesson_downloads_sources`, the lessons' folder
relative to the source folder, and `lesson_downloads_prefix`, the docname prefix of the
lesson pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx

TOOLTIPS = {"en": "Download the lesson's MyST Markdown source",
            "ja": "レッスンの MyST Markdown ソースをダウンロード"}


def _sources(app: Sphinx) -> Path:
    return Path(app.srcdir) / app.config.lesson_downloads_sources


def _lesson_source(app: Sphinx, pagename: str) -> Path | None:
    prefix = app.config.lesson_downloads_prefix
    name = pagename.rsplit("/", 1)[-1]
    source = _sources(app) / f"{name}.md"
    return source if pagename.startswith(prefix) and source.exists() else None


def add_md_button(app: Sphinx, pagename: str, templatename: str, context: dict,
                  doctree) -> None:
    source = _lesson_source(app, pagename)
    if source is None:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(1, {
                "type": "link",
                "url": f"{context['pathto']('_sources', 1)}/"
                       f"{app.config.lesson_downloads_prefix}{source.name}",
                "text": ".md",
                "tooltip": TOOLTIPS.get(app.config.language or "en", TOOLTIPS["en"]),
                "icon": "fas fa-file-lines",
                "label": "download-md-button",
            })


def copy_sources(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_sources" / app.config.lesson_downloads_prefix
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(_sources(app).glob("[0-9][0-9]_*.md")):
        shutil.copyfile(source, target / source.name)


def setup(app: Sphinx) -> dict:
    app.add_config_value("lesson_downloads_sources", "lessons_src", "html", types=[str])
    app.add_config_value("lesson_downloads_prefix", "book/", "html", types=[str])
    app.connect("html-page-context", add_md_button, priority=502)
    app.connect("build-finished", copy_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
