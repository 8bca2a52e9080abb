"""Regenerate book/*.ipynb from lessons_src/*.md, and point every lesson at the repository.

Usage: python scripts/sync.py   (or `make sync`)

1. Reads the repository URL and branch from _config.yml (the one place they are written).
2. Rewrites the install URL in each lesson's setup cell to git+URL@BRANCH.
3. Writes book/NN_name.ipynb from lessons_src/NN_name.md with jupytext: no outputs,
   stable cell ids, so regenerating an unchanged lesson changes no byte.
4. Does the same for the Japanese edition: lessons_src/ja/NN_name.md -> book/ja/NN_name.ipynb.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "lessons_src"
BOOK = ROOT / "book"
JA_SOURCES = SOURCES / "ja"  # the Japanese edition: lessons_src/ja/NN_name.md
JA_BOOK = BOOK / "ja"        # and its notebooks, book/ja/NN_name.ipynb
INSTALL_URL = re.compile(r'"git\+https://[^"]*"')
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def install_url(config_path: Path = ROOT / "_config.yml") -> str:
    """The pip requirement the setup cells install helpers from: git+URL@BRANCH."""
    repo = yaml.safe_load(config_path.read_text(encoding="utf-8"))["repository"]
    return f"git+{repo['url'].rstrip('/')}@{repo['branch']}"


def lesson_sources(folder: Path = SOURCES) -> list[Path]:
    """The lessons, in reading order: lessons_src/NN_name.md (or those of `folder`)."""
    return sorted(p for p in folder.glob("*.md") if re.match(r"\d\d_", p.name))


def ja_lesson_sources() -> list[Path]:
    """The Japanese lessons, in reading order: lessons_src/ja/NN_name.md."""
    return lesson_sources(JA_SOURCES)


def notebook_for(source: Path) -> Path:
    """The notebook paired with a lesson source (book/ja/ for a Japanese one)."""
    book = JA_BOOK if source.parent.resolve() == JA_SOURCES.resolve() else BOOK
    return book / (source.stem + ".ipynb")


def to_notebook(source: Path) -> nbformat.NotebookNode:
    """Convert one lesson source into the notebook that Colab opens."""
    nb = jupytext.read(source)
    nb.metadata = {"kernelspec": dict(KERNELSPEC),
                   "language_info": {"name": "python"}}
    for i, cell in enumerate(nb.cells):
        cell.id = f"{source.stem[:2]}-{i:03d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def main() -> int:
    url = install_url()
    for source in lesson_sources() + ja_lesson_sources():
        text = source.read_text(encoding="utf-8")
        if not INSTALL_URL.search(text):
            print(f"error: {source} has no setup cell installing \"git+https://...\"",
                  file=sys.stderr)
            return 1
        new_text = INSTALL_URL.sub(f'"{url}"', text)
        if new_text != text:
            source.write_text(new_text, encoding="utf-8")
        target = notebook_for(source)
        new_nb = nbformat.writes(to_notebook(source)) + "\n"
        old_nb = target.read_text(encoding="utf-8") if target.exists() else None
        if new_nb != old_nb:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(new_nb, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
