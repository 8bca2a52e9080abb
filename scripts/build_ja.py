"""Build the Japanese edition of the book into _build/html/ja/ (Jupyter Book 1.x, offline).

Usage:  python scripts/build_ja.py [--verbose]   (`make build`, i.e. scripts/build.py,
        runs it after the English build; it uses scripts/build.py's `build()`)

The Japanese pages live in book/ja/: intro.md, glossary.md, references.md and the
notebooks that `make sync` generates from lessons_src/ja/NN_name.md. Nothing about the
edition is configured twice:

- its configuration is derived at build time from the root _config.yml (so the
  repository URL and branch stay written once, there), with the Japanese strings of
  book/ja/_edition.yml, Sphinx's language set to `ja`, paths rebased onto book/ja/,
  and the settings of the language links (book/_ext/edition_links.py);
- its table of contents is derived from _toc.yml: book/NN_name becomes NN_name, part
  captions are translated through book/ja/_edition.yml, and a lesson whose Japanese
  twin does not exist yet is left out (scripts/parity.py and the tests name it).

Both are written to _build/ja/ for inspection. The build is scripts/build.py's, strict
like the English one (-W -n --keep-going): any warning or any failing cell fails it. Notebook outputs are
cached in _build/.jupyter_cache_ja, doctrees kept in _build/.doctrees_ja, executed
notebooks and their images written to _build/jupyter_execute_ja (myst-nb would put them
beside the output folder, i.e. inside the English site).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "book" / "ja"               # Sphinx's source folder for this edition
STRINGS = SOURCE / "_edition.yml"            # the edition's own (Japanese) strings
BUILD = ROOT / "_build"
GENERATED = BUILD / "ja"                     # the derived _config.yml and _toc.yml
OUTPUT = BUILD / "html" / "ja"               # the Japanese site
DOCTREES = BUILD / ".doctrees_ja"
CACHE = BUILD / ".jupyter_cache_ja"
EXECUTED = BUILD / "jupyter_execute_ja"      # executed notebooks and their images
ENGLISH_PREFIX = "book/"                     # English docnames are book/<name>


def _rebase(path: str, start: Path = SOURCE) -> str:
    """A path written relative to the repository root, rewritten relative to `start`."""
    if not path or "://" in path or os.path.isabs(path):
        return path
    return os.path.relpath(ROOT / path, start)


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def japanese_config(root: dict, strings: dict) -> dict:
    """The Japanese edition's Jupyter Book config, derived from the root _config.yml.

    `root` is the parsed root _config.yml, `strings` the parsed book/ja/_edition.yml.
    The repository block is kept as it is (only `path_to_book` points at book/ja), so a
    fork that changes its URL or branch in _config.yml changes both editions.
    """
    config = copy.deepcopy(root)
    config["title"] = strings["title"]
    config["author"] = strings.get("author", config.get("author", ""))
    repository = config.setdefault("repository", {})
    book_path = (Path(repository.get("path_to_book") or ".") / "book" / "ja").as_posix()
    repository["path_to_book"] = book_path.removeprefix("./")
    # Paths in _config.yml are written from the repository root; Sphinx reads them
    # from this edition's source folder, book/ja/.
    if "bibtex_bibfiles" in config:
        config["bibtex_bibfiles"] = [_rebase(p) for p in config["bibtex_bibfiles"]]
    html = config.setdefault("html", {})
    if html.get("favicon"):
        html["favicon"] = _rebase(html["favicon"])
    if config.get("logo"):
        config["logo"] = _rebase(config["logo"])
    sphinx = config.setdefault("sphinx", {})
    # Jupyter Book resolves local extension folders from the config file's folder
    extensions = dict(sphinx.get("local_extensions") or {})
    extensions["japanese"] = "book/_ext"  # search that finds 主成分分析, line breaks
    sphinx["local_extensions"] = {name: _rebase(folder, GENERATED)
                                  for name, folder in extensions.items()}
    settings = sphinx.setdefault("config", {})
    if "html_static_path" in settings:
        settings["html_static_path"] = [_rebase(p) for p in settings["html_static_path"]]
    settings.update({
        "language": "ja",
        # the language links of book/_ext/edition_links.py, seen from the Japanese side
        "edition_language": "ja",
        "edition_other_language": "en",
        "edition_other_label": strings["other_edition_label"],
        "edition_other_missing": strings["other_edition_missing"],
        "edition_other_root": "../",
        "edition_other_srcdir": os.path.relpath(ROOT, SOURCE),
        "edition_docname_strip": "",
        "edition_docname_add": ENGLISH_PREFIX,
        "edition_other_home": read_yaml(ROOT / "_toc.yml")["root"],
        "edition_colab_text": strings["colab_badge"],
        # myst-nb's toggle of a hide-input cell
        "nb_code_prompt_show": strings["code_prompt_show"],
        "nb_code_prompt_hide": strings["code_prompt_hide"],
        # the training animation's controls (book/_ext/animation_player.py)
        "animation_player_labels": strings["player"],
        # the .md download of lesson_downloads.py: lessons_src/ja/NN_name.md
        "lesson_downloads_sources": os.path.relpath(ROOT / "lessons_src" / "ja", SOURCE),
        "lesson_downloads_prefix": "",
    })
    return config


def japanese_toc(root_toc: dict, strings: dict,
                 exists=lambda name: any((SOURCE / f"{name}{s}").exists()
                                         for s in (".md", ".ipynb"))) -> tuple[dict, list[str]]:
    """The Japanese table of contents, derived from the parsed _toc.yml.

    Returns (toc, left_out): the toc, and the pages left out because book/ja/ has no
    such page yet. A part caption without a translation in book/ja/_edition.yml is an
    error that says where to add it.
    """
    def page(name: str) -> str:
        if not name.startswith(ENGLISH_PREFIX):
            raise ValueError(f"_toc.yml: {name} is not under book/; the Japanese edition "
                             "only knows pages book/<name>")
        return name.removeprefix(ENGLISH_PREFIX)

    captions = strings.get("captions", {})
    toc = {k: v for k, v in root_toc.items() if k not in ("root", "parts", "chapters")}
    toc["root"] = page(root_toc["root"])
    left_out: list[str] = []

    def chapters(entries: list[dict]) -> list[dict]:
        kept = []
        for entry in entries:
            name = page(entry["file"])
            if not exists(name):
                left_out.append(name)
                continue
            entry = dict(entry, file=name)
            if "sections" in entry:
                entry["sections"] = chapters(entry["sections"])
            kept.append(entry)
        return kept

    if "parts" in root_toc:
        toc["parts"] = []
        for part in root_toc["parts"]:
            part = dict(part)
            if "caption" in part:
                if part["caption"] not in captions:
                    raise ValueError(f"_toc.yml part caption {part['caption']!r} has no "
                                     f"Japanese caption: add it under `captions:` in "
                                     f"{STRINGS.relative_to(ROOT)}")
                part["caption"] = captions[part["caption"]]
            part["chapters"] = chapters(part.get("chapters", []))
            if part["chapters"]:
                toc["parts"].append(part)
    elif "chapters" in root_toc:
        toc["chapters"] = chapters(root_toc["chapters"])
    return toc, left_out


def write_generated(quiet: bool = False) -> tuple[Path, Path]:
    """Write the derived _config.yml and _toc.yml into _build/ja/; return their paths."""
    strings = read_yaml(STRINGS)
    config = japanese_config(read_yaml(ROOT / "_config.yml"), strings)
    toc, left_out = japanese_toc(read_yaml(ROOT / "_toc.yml"), strings)
    GENERATED.mkdir(parents=True, exist_ok=True)
    header = "# Generated by scripts/build_ja.py from the root file: do not edit.\n"
    config_path, toc_path = GENERATED / "_config.yml", GENERATED / "_toc.yml"
    for path, data in ((config_path, config), (toc_path, toc)):
        text = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    if left_out and not quiet:
        print("note: not in the Japanese edition yet (no page in book/ja/): "
              + ", ".join(left_out))
    return config_path, toc_path


def build(verbose: bool = False) -> int:
    """Build the Japanese site into _build/html/ja/ strictly; return 0 on success.

    The build itself is scripts/build.py's: the same strictness, failing-lesson guard,
    quiet output and execution cache rules as the English edition.
    """
    import myst_nb.sphinx_ext
    from jupyter_book.sphinx import REDIRECT_TEXT

    import build as book_build

    # myst-nb writes executed notebooks and their images to <output>/../jupyter_execute,
    # a fixed name (myst-nb 1.4.0): for _build/html/ja that is inside the English site.
    # Set for this build only (restored below), so a build script that builds the
    # English edition in the same process afterwards is not affected.
    output_folder = myst_nb.sphinx_ext.OUTPUT_FOLDER
    myst_nb.sphinx_ext.OUTPUT_FOLDER = os.path.relpath(EXECUTED, OUTPUT.parent)
    config_path, toc_path = write_generated(quiet=not verbose)
    toc = read_yaml(toc_path)
    overrides = {"html_theme_options": {"search_bar_text": read_yaml(STRINGS)["search_bar_text"]}}
    try:
        result = book_build.build(config_path, toc_path, OUTPUT, doctrees=DOCTREES,
                                  verbose=verbose, srcdir=SOURCE, cache=CACHE,
                                  overrides=overrides)
    finally:
        myst_nb.sphinx_ext.OUTPUT_FOLDER = output_folder
    if result:
        return 1
    index = OUTPUT / "index.html"
    index.write_text(REDIRECT_TEXT.format(first_page=f"{toc['root']}.html"), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="Sphinx's full output")
    args = parser.parse_args(argv)
    return build(verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
