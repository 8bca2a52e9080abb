"""Regenerate book/*.ipynb from lessons_src/*.md, and point every lesson at the repository.

Usage: python scripts/sync.py           (or `make sync`)
       python scripts/sync.py --check   (write nothing; list stale notebooks, exit 1 if any)

1. Reads the repository URL and branch from _config.yml (the one place they are written).
2. Rewrites the install URL in each lesson's setup cell to git+URL@BRANCH.
3. Writes book/NN_name.ipynb from lessons_src/NN_name.md with jupytext: no outputs,
   stable cell ids, so regenerating an unchanged lesson changes no byte.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lessons  # noqa: E402

ROOT = lessons.ROOT
SOURCES = lessons.SOURCES
BOOK = lessons.BOOK
INSTALL_URL = re.compile(r'"git\+https://[^"]*"')
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def install_url(config_path: Path = ROOT / "_config.yml") -> str:
    """The pip requirement the setup cells install helpers from: git+URL@BRANCH."""
    repo = yaml.safe_load(config_path.read_text(encoding="utf-8"))["repository"]
    return f"git+{repo['url'].rstrip('/')}@{repo['branch']}"


def lesson_sources() -> list[Path]:
    """The English lessons, in reading order: lessons_src/NN_name.md."""
    return lessons.lesson_sources()


def notebook_for(source: Path) -> Path:
    """The notebook paired with a lesson source (book[/ed]/NN_name.ipynb)."""
    return lessons.notebook_for(source)


def ja_lesson_sources() -> list[Path]:
    """The Japanese lessons, in reading order: lessons_src/ja/NN_name.md."""
    return [p for p in lessons.lesson_sources(editions=True) if p.parent.name == "ja"]


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


def render(source: Path, url: str) -> tuple[str, str]:
    """(lesson text with the configured install URL, the notebook `make sync` writes)."""
    text = source.read_text(encoding="utf-8")
    if not INSTALL_URL.search(text):
        raise ValueError(f'{lessons.rel(source)} has no setup cell installing "git+https://..."')
    new_text = INSTALL_URL.sub(f'"{url}"', text)
    if new_text == text:
        return text, nbformat.writes(to_notebook(source)) + "\n"
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:  # convert the text as it will be written
        copy = Path(tmp) / source.name
        copy.write_text(new_text, encoding="utf-8")
        return new_text, nbformat.writes(to_notebook(copy)) + "\n"


def stale(sources: list[Path] | None = None) -> list[Path]:
    """Lessons whose source or notebook `make sync` would rewrite."""
    url = install_url()
    found = []
    for source in lessons.lesson_sources(editions=True) if sources is None else sources:
        text, notebook = render(source, url)
        target = notebook_for(source)
        if text != source.read_text(encoding="utf-8") or not target.exists() \
                or target.read_text(encoding="utf-8") != notebook:
            found.append(source)
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    check_only = "--check" in argv
    url = install_url()
    status = 0
    for source in lessons.lesson_sources(editions=True):
        try:
            new_text, new_nb = render(source, url)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        target = notebook_for(source)
        old_nb = target.read_text(encoding="utf-8") if target.exists() else None
        changed = new_text != source.read_text(encoding="utf-8") or new_nb != old_nb
        if not changed:
            continue
        if check_only:
            print(f"stale: {lessons.rel(target)} (run `make sync`)")
            status = 1
            continue
        if new_text != source.read_text(encoding="utf-8"):
            source.write_text(new_text, encoding="utf-8")
            print(f"wrote {lessons.rel(source)} (install URL from _config.yml)")
        if new_nb != old_nb:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(new_nb, encoding="utf-8")
            print(f"wrote {lessons.rel(target)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
