"""Shared fixtures and paths for the test suite, and how notebook failures are reported.

At the repository root, so that it applies to book/*.ipynb (nbval) as well as tests/.

A failing notebook cell (nbval) is reported as the lesson's source line, the failing line
of code and the error, e.g.

    lessons_src/04_pca.md:341: AssertionError: bound 0.0419 is not about 0.044
        assert 0.043 < bound < 0.045, f"bound {bound:.4f} is not about 0.044"

instead of nbval's "Cell 17" with the whole cell and a coloured traceback (`--tb=long`
gives that back). After a failure the lesson's later cells are skipped, and so is its
Colab-readiness run: one false claim, one report.

With pytest-xdist (`-n 2 --dist loadgroup`, as `make test` runs it) all cells of a
notebook, and that lesson's Colab-readiness test after them, run on one worker.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "scripts"))

import lessons  # noqa: E402

# notebook (relative path) -> the report of its first failing cell; per worker process,
# which with --dist loadgroup holds every test of that notebook.
FAILED_NOTEBOOKS: dict[str, str] = {}

try:
    from nbval.plugin import IPyNbCell, NbCellError
except ImportError:  # pragma: no cover - nbval is pinned in requirements.txt
    IPyNbCell = NbCellError = None


def notebook_group(notebook: Path | str) -> str:
    """The xdist group of a notebook's cells and of the tests that must follow them."""
    return lessons.rel(Path(notebook))


def nbval_failure(notebook: Path | str) -> str | None:
    """The report of the notebook's failing cell, if one failed in this session."""
    return FAILED_NOTEBOOKS.get(notebook_group(notebook))


def _path(item) -> Path:
    return Path(str(getattr(item, "path", None) or item.fspath))


def _cell_location(item) -> tuple[str, int]:
    source = lessons.source_for(_path(item))
    if source is None:
        return lessons.rel(_path(item)), 0
    code = lessons.load(source).code_cells
    if item.cell_num < len(code):
        return lessons.rel(source), code[item.cell_num].start
    return lessons.rel(source), 0


if IPyNbCell is not None:
    _nbval_repr_failure = IPyNbCell.repr_failure

    def _repr_failure(self, excinfo):
        exc = excinfo.value
        if not isinstance(exc, NbCellError) or self.config.getoption("tbstyle") == "long":
            return _nbval_repr_failure(self, excinfo)
        failure = lessons.explain(exc.inner_traceback or str(exc), exc.source,
                                  _path(self))
        return str(failure)

    def _reportinfo(self):
        path, line = _cell_location(self)
        where = f"{path}:{line}" if line else path
        return self.fspath, max(line - 1, 0), f"{where} (code cell {self.cell_num})"

    IPyNbCell.repr_failure = _repr_failure
    IPyNbCell.reportinfo = _reportinfo


def pytest_configure(config):
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one worker")


@pytest.hookimpl(tryfirst=True)  # before xdist turns the group marks into node ids
def pytest_collection_modifyitems(session, config, items):
    """Group each notebook's cells for xdist; run Colab-readiness tests after nbval.

    Tests marked ``slow`` are deselected unless the ``-m`` expression names them
    (``pytest -m slow``)."""
    if "slow" not in (config.getoption("markexpr", "") or ""):
        slow = [i for i in items if i.get_closest_marker("slow")]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [i for i in items if not i.get_closest_marker("slow")]
    for item in items:
        if IPyNbCell is not None and isinstance(item, IPyNbCell):
            item.add_marker(pytest.mark.xdist_group(notebook_group(_path(item))))
    colab = [i for i in items if i.get_closest_marker("colab")]
    items[:] = [i for i in items if not i.get_closest_marker("colab")] + colab
    if hasattr(config, "workerinput") and config.getvalue("loadgroup"):
        _name_groups(items)


def _name_groups(items) -> None:
    """Give grouped items the node id suffix `@group` that xdist's loadgroup schedules by.

    pytest-xdist 3.8 sets `item._nodeid`, which pytest 9 no longer reads (the id is
    `item._id`), so without this every cell would be scheduled on its own.
    """
    from _pytest.nodeid import coerce_node_id

    for item in items:
        groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                         for m in item.iter_markers("xdist_group")})
        if groups and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(groups)}")


def pytest_runtest_setup(item):
    if IPyNbCell is not None and isinstance(item, IPyNbCell):
        failed = nbval_failure(_path(item))
        if failed:
            pytest.skip(f"an earlier cell of this lesson failed: {failed.splitlines()[0]}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (IPyNbCell is not None and isinstance(item, IPyNbCell) and report.failed
            and call.when == "call"):
        FAILED_NOTEBOOKS.setdefault(notebook_group(_path(item)),
                                    str(report.longrepr))


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
