"""A link to the other language's edition on every page, and an "Open in Colab" badge on
every lesson, both right under the page's title.

- The language link goes to the same page in the other edition (English book/NN_name
  <-> Japanese NN_name, the two sites being _build/html and _build/html/ja). While a page
  has no translation yet, it goes to the other edition's home page and says so.
- The badge opens this edition's committed notebook in Google Colab. Its URL is built
  from the repository settings that Jupyter Book passes to the theme from _config.yml
  (`repository: url, branch, path_to_book` and `launch_buttons: colab_url`), so a fork's
  badges follow the fork.

The defaults describe the English edition; scripts/build_ja.py sets the Japanese one's.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from sphinx.application import Sphinx

DEFAULTS = {
    "edition_language": "en",
    "edition_other_language": "ja",
    "edition_other_label": "日本語",
    "edition_other_missing": "Japanese edition (this page is not translated yet)",
    "edition_other_root": "ja/",        # the other site's root, seen from this site's root
    "edition_other_srcdir": "book/ja",  # its source folder, seen from this srcdir
    "edition_docname_strip": "book/",   # this docname minus this prefix ...
    "edition_docname_add": "",          # ... plus this one is the other's docname
    "edition_other_home": "intro",      # the other edition's root page
    "edition_colab_text": "Open in {Colab}",  # the braces mark the badge's coloured part
}


def other_docname(app: Sphinx, docname: str) -> str | None:
    """The same page in the other edition, or None if it does not exist (yet)."""
    config = app.config
    if not docname.startswith(config.edition_docname_strip):
        return None
    name = config.edition_docname_add + docname.removeprefix(config.edition_docname_strip)
    folder = Path(app.srcdir) / config.edition_other_srcdir
    if any((folder / f"{name}{suffix}").exists() for suffix in (".md", ".ipynb")):
        return name
    return None


def colab_url(app: Sphinx, docname: str) -> str | None:
    """The Colab URL of this page's notebook, from the repository settings; None if unset."""
    options = app.config.html_theme_options or {}
    repo = (options.get("repository_url") or "").rstrip("/")
    colab = (options.get("launch_buttons", {}).get("colab_url") or "").rstrip("/")
    if "github.com/" not in repo or not colab:
        return None
    slug = "/".join(repo.split("github.com/", 1)[1].split("/")[:2])
    branch = options.get("repository_branch") or "main"
    book = (options.get("path_to_docs") or "").strip("/")
    path = f"{book}/{docname}.ipynb" if book else f"{docname}.ipynb"
    return f"{colab}/github/{slug}/blob/{branch}/{path}"


def _badge(url: str, text: str, language: str) -> str:
    parts = re.split(r"(\{[^}]*\})", text)
    spans = []
    for part in parts:
        if part.startswith("{") and part.endswith("}"):
            spans.append(f'<span class="colab-badge__name">{html.escape(part[1:-1])}</span>')
        elif part.strip():
            spans.append(f'<span class="colab-badge__text">{html.escape(part.strip())}</span>')
    return (f'<a class="colab-badge" href="{html.escape(url)}" target="_blank" '
            f'rel="noopener" lang="{language}">{"".join(spans)}</a>')


def add_bar(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put the language link (and on lessons the Colab badge) under the page's title."""
    body = context.get("body")
    if doctree is None or not body or "</h1>" not in body:
        return
    config = app.config
    other = other_docname(app, pagename)
    target = other if other is not None else config.edition_other_home
    href = context["pathto"](f"{config.edition_other_root}{target}.html", 1)
    label = config.edition_other_label if other is not None else config.edition_other_missing
    lang = config.edition_other_language
    items = []
    if context.get("page_source_suffix") == ".ipynb":
        url = colab_url(app, pagename)
        if url:
            items.append(_badge(url, config.edition_colab_text, config.edition_language))
    # the label is in the other language only when it names the translated page
    text_lang = f' lang="{lang}"' if other is not None else ""
    items.append(
        f'<a class="edition-link" href="{html.escape(href)}" hreflang="{lang}"{text_lang}>'
        f'<i class="fa-solid fa-language" aria-hidden="true"></i> {html.escape(label)}</a>')
    bar = f'<div class="edition-bar">{" ".join(items)}</div>'
    context["body"] = body.replace("</h1>", "</h1>\n" + bar, 1)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{lang}" href="{html.escape(href)}" />')


def setup(app: Sphinx) -> dict:
    for name, default in DEFAULTS.items():
        app.add_config_value(name, default, "html", types=[str])
    app.connect("html-page-context", add_bar, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
