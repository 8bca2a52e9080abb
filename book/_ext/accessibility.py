"""Fixes for what axe-core finds in the HTML that docutils and the theme write.

1. The bibliography: docutils writes `<div role="list">` holding `<div role="doc-biblioentry">`
   entries. `doc-biblioentry` is deprecated in WAI-ARIA DPub 1.1 and not allowed on a div,
   and a `list` must own `listitem`s (axe: aria-deprecated-role, aria-allowed-role, and the
   critical aria-required-children). The entries become `role="listitem"`.
2. The primary sidebar: the book's title link at its top sits outside every landmark
   (axe: region, on every page). The sidebar div gets `role="navigation"` with a label;
   the table of contents inside it stays its own, labelled, navigation landmark.

(1) edits each page's body as it is written; (2) is in the theme's template, so it is
applied, when the build finishes, to the HTML files this build wrote (idempotent; the
pages are recorded as they are written, so the extension is not parallel-write safe).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

SIDEBAR = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar'
SIDEBAR_LABELS = {"ja": "サイトのナビゲーション"}
_WRITTEN: set[str] = set()  # the HTML files this build wrote


def fix_bibliography(app: Sphinx, pagename: str, templatename: str, context: dict,
                     doctree) -> None:
    """Record the page for label_sidebar; make bibliography entries list items."""
    _WRITTEN.add(app.builder.get_outfilename(pagename))
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def label_sidebar(app: Sphinx, exception: Exception | None) -> None:
    """Make the primary sidebar of every page written a labelled navigation landmark."""
    if exception is not None or app.builder.format != "html":
        return
    label = SIDEBAR_LABELS.get(app.config.language or "en", "Site navigation")
    marked = f'<div role="navigation" aria-label="{label}" id="pst-primary-sidebar"'
    for page in sorted(_WRITTEN):
        page = Path(page)
        if not page.exists():
            continue
        text = page.read_text(encoding="utf-8")
        if SIDEBAR in text:
            page.write_text(text.replace('<div id="pst-primary-sidebar"', marked, 1),
                            encoding="utf-8")
    _WRITTEN.clear()


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", fix_bibliography)
    app.connect("build-finished", label_sidebar)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
