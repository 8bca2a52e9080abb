"""Offer each lesson's MyST Markdown source beside its .ipynb in the download menu.

The site's pages are built from book/NN_name.ipynb; the lesson's editable source is
lessons_src/NN_name.md. This extension copies that source into the built site
(_sources/book/NN_name.md) and adds a ".md" entry to sphinx-book-theme's download menu.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx


def _lesson_source(app: Sphinx, pagename: str) -> Path | None:
    name = pagename.rsplit("/", 1)[-1]
    source = Path(app.srcdir) / "lessons_src" / f"{name}.md"
    return source if pagename.startswith("book/") and source.exists() else None


def add_md_button(app: Sphinx, pagename: str, templatename: str, context: dict,
                  doctree) -> None:
    source = _lesson_source(app, pagename)
    if source is None:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(1, {
                "type": "link",
                "url": f"{context['pathto']('_sources', 1)}/book/{source.name}",
                "text": ".md",
                "tooltip": "Download the lesson's MyST Markdown source",
                "icon": "fas fa-file-lines",
                "label": "download-md-button",
            })


def copy_sources(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_sources" / "book"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted((Path(app.srcdir) / "lessons_src").glob("*.md")):
        shutil.copyfile(source, target / source.name)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", add_md_button, priority=502)
    app.connect("build-finished", copy_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
