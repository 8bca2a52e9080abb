"""Each lesson runs on its own, as in Colab: no helpers installed, no myst-nb.

For every book/*.ipynb: copy it alone into an empty folder, make a fresh Python
environment that sees the pinned packages but not `helpers` and not myst-nb, and
execute the notebook there. Its setup cell must install helpers; here it installs
from this working tree, which stands in for the git URL configured in _config.yml.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
from pathlib import Path

import lessons
import nbformat
import pytest
from conftest import ROOT, nbval_failure, notebook_group
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import sync

pytestmark = pytest.mark.colab


def _colab_like_python(where: Path) -> Path:
    """A venv that sees this environment's packages, minus helpers and myst-nb."""
    env_dir = where / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    purelib = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip())
    # Paths listed in a .pth file are added to sys.path, but .pth files inside them
    # are not run: the editable install of helpers stays invisible.
    (purelib / "course_packages.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    blocker = purelib / "myst_nb"   # Colab has no myst-nb: make it unimportable
    blocker.mkdir()
    (blocker / "__init__.py").write_text('raise ImportError("myst_nb is not installed")\n')
    return python


def _kernel_spec(where: Path, python: Path) -> str:
    spec_dir = where / "kernels" / "colab-like"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab-like", "language": "python"}))
    return "colab-like"


def _lessons():
    """Each lesson, in its notebook's xdist group: it runs after that notebook's nbval."""
    return [pytest.param(s, id=s.stem, marks=pytest.mark.xdist_group(
        notebook_group(sync.notebook_for(s)))) for s in sync.lesson_sources()]


@pytest.mark.parametrize("source", _lessons())
def test_lesson_runs_alone_and_installs_helpers(source, tmp_path, monkeypatch):
    if nbval_failure(sync.notebook_for(source)):
        pytest.skip("the lesson already failed its nbval run, reported above")
    python = _colab_like_python(tmp_path)
    probe = subprocess.run([str(python), "-c", "import helpers"], cwd=tmp_path,
                           capture_output=True)
    assert probe.returncode != 0, "helpers must not be importable before the setup cell"

    workdir = tmp_path / "colab"
    workdir.mkdir()
    notebook = workdir / f"{source.stem}.ipynb"
    shutil.copy(sync.notebook_for(source), notebook)
    nb = nbformat.read(notebook, as_version=4)
    setup = next(c for c in nb.cells if c.cell_type == "code")
    url = f'"{sync.install_url()}"'
    assert url in setup.source
    setup.source = setup.source.replace(url, json.dumps(str(ROOT)))

    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    # Build helpers with the setuptools already here instead of a fresh isolated
    # build environment: the same install, a few seconds faster.
    monkeypatch.setenv("PIP_NO_BUILD_ISOLATION", "0")
    client = NotebookClient(nb, kernel_name=_kernel_spec(tmp_path, python), timeout=300,
                            resources={"metadata": {"path": str(workdir)}})
    try:
        client.execute()
    except CellExecutionError as error:  # one short report, naming the lesson's line
        pytest.fail(f"in a Colab-like environment:\n"
                    f"{lessons.explain(str(error), None, sync.notebook_for(source))}",
                    pytrace=False)

    check = subprocess.run([str(python), "-c", "import helpers, os; print(helpers.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    assert str(tmp_path) in check.stdout, "helpers was not installed by the setup cell"
