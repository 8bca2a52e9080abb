"""Never let a failing lesson look built.

myst-nb executes each notebook while Sphinx reads it. When a cell raises (a claim's
`assert` fails), myst-nb logs "Executing notebook failed: CellExecutionError" and still
writes the page, false sentence included; and on the next build Sphinx does not read the
unchanged page again, so nothing fails: "build succeeded". jupyter-cache is not the
culprit (it never caches a failed execution); Sphinx's incremental build is. This
extension:

1. reports a failed execution once, as the lesson's own source line, the failing line of
   code and the error: `lessons_src/04_pca.md:341: WARNING: AssertionError: ...`
   (a warning, so the strict build fails), instead of myst-nb's two lines that only point
   at a log file;
2. drops the warnings that only follow from that failure (glue keys and figure labels of
   cells that never ran), so the cause is not buried;
3. marks every page whose execution failed as outdated for the next build, so a rerun
   executes it again (and fails again) instead of reporting success;
4. replaces the failed page in the output with a short "not built" page, so no page showing
   a false claim is left in _build/html as if built.

Why not myst-nb's own switches: `nb_execution_raise_on_error` aborts Sphinx at the first
failing notebook (the other lessons are not executed or reported) with a Sphinx
traceback, and `nb_execution_show_tb` prints the whole coloured traceback of the cell;
neither names the lesson's source line, and neither fixes the cached rerun.
"""

from __future__ import annotations

import html
import logging
import sys
from pathlib import Path

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.application import Sphinx
from sphinx.util import logging as sphinx_logging

logger = sphinx_logging.getLogger(__name__)
FAILED = "build_guard_failed"  # env attribute: {docname: failure text}


def _lessons(app: Sphinx):
    scripts = str(Path(__file__).resolve().parents[2] / "scripts")  # any edition's srcdir
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import lessons

    return lessons


def _failed(env) -> dict[str, str]:
    if not hasattr(env, FAILED):
        setattr(env, FAILED, {})
    return getattr(env, FAILED)


class _Consequences(logging.Filter):
    """Drop myst-nb's own failure lines and the warnings a failed execution causes."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app
        self.failing: set[str] = set()  # docnames and source paths of failed notebooks

    def _doc(self, record: logging.LogRecord) -> str:
        docname = getattr(record, "docname", None)
        if docname:
            return docname
        location = getattr(record, "location", None)
        if isinstance(location, tuple):
            return location[0] or ""
        if isinstance(location, nodes.Node):
            return str(get_source_line(location)[0] or "")
        return str(location or "")

    def _is_failing(self, where: str) -> bool:
        return any(where == f or where.startswith(f + ":") or where.endswith(f)
                   for f in self.failing if f)

    def filter(self, record: logging.LogRecord) -> bool:
        kind = f"{getattr(record, 'type', '')}.{getattr(record, 'subtype', '')}"
        message = str(record.msg)
        doc = self._doc(record)
        if kind == "mystnb.exec" and message.startswith("Executing notebook failed"):
            self.failing.add(doc)
            try:
                self.failing.add(str(self.app.env.doc2path(doc)))
            except Exception:  # noqa: BLE001 - only a better match
                pass
            return False  # build_guard reports it, with the lesson's line
        if kind == "mystnb.exec" and message.startswith("Notebook exception traceback"):
            return False
        if self._is_failing(doc):
            if kind == "mystnb.glue" or message.startswith("undefined label"):
                return False  # a glue key or figure of a cell that never ran
        return True


def _install_filter(app: Sphinx) -> None:
    guard = _Consequences(app)
    for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
        if isinstance(handler, sphinx_logging.WarningStreamHandler):
            handler.filters.insert(0, guard)  # before Sphinx counts the warning


def outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages that failed last time are read (and executed) again."""
    return [doc for doc in _failed(env) if doc in env.found_docs
            and doc not in added | changed | removed]


def purge(app: Sphinx, env, docname: str) -> None:
    _failed(env).pop(docname, None)


def merge(app: Sphinx, env, docnames, other) -> None:
    _failed(env).update({d: t for d, t in _failed(other).items() if d in docnames})


def check_execution(app: Sphinx, doctree: nodes.document) -> None:
    """After a page is read: if its notebook failed, say where, once."""
    from myst_nb.sphinx_ import NbMetadataCollector

    env = app.env
    docname = env.docname
    data = NbMetadataCollector.get_doc_data(env).get(docname, {}).get("exec_data")
    if not data or data.get("succeeded", True):
        return
    lessons = _lessons(app)
    notebook = Path(env.doc2path(docname))
    failure = lessons.explain(data.get("traceback") or data.get("error") or "",
                              None, notebook)
    where = failure.where if ":" in failure.where else f"{lessons.rel(notebook)}:1"
    message = str(failure).split(": ", 1)[1] if ":" in failure.where else str(failure)
    _failed(env)[docname] = str(failure)
    report = Path(app.outdir, "reports", *f"{docname}.err.log".split("/"))
    message += f"\n    (full traceback: {lessons.rel(report)})"
    logger.warning(message, location=where, type="lesson", subtype="failed")


def replace_failed_pages(app: Sphinx, exception: Exception | None) -> None:
    """A failed lesson's page says it was not built, instead of showing false claims."""
    if app.builder.format != "html":
        return
    for docname, text in _failed(app.env).items():
        page = Path(app.builder.get_outfilename(docname))
        if not page.exists():
            continue
        page.write_text(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Not built: a lesson failed</title></head><body>\n"
            "<h1>This page was not built</h1>\n"
            "<p>Its notebook failed while the book was built:</p>\n"
            f"<pre>{html.escape(text)}</pre>\n"
            "<p>Fix the lesson source, then run <code>make build</code> again.</p>\n"
            "</body></html>\n", encoding="utf-8")


def setup(app: Sphinx) -> dict:
    _install_filter(app)
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-read", check_execution)
    app.connect("build-finished", replace_failed_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
