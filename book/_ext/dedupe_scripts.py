"""Drop repeated inline <script> blocks from every page.

sphinx-thebe (loaded by Jupyter Book) registers its configuration script once per
`env-before-read-docs` event, which fires more than once in a Jupyter Book build; the
second copy (registered with filename "" instead of None, so Sphinx does not see the
duplicate) makes `const THEBE_JS_URL = ...` a JavaScript error in the browser
("Identifier 'THEBE_JS_URL' has already been declared"). Keep the first copy only.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def dedupe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        # the same inline script is registered once with filename None, once with ""
        key = (getattr(script, "filename", None) or "",
               tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept  # in place: handlers after this one (MathJax) still add to it


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", dedupe, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
