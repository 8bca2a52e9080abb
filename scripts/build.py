"""Build the book: the one place the build is defined (`make build` calls it).

Usage:  python scripts/build.py [--verbose] [--no-sync] [--edition all|en|ja]

1. Syncs first: regenerates book/*.ipynb from lessons_src/ (`make sync`), so the site can
   never show an older notebook than its lesson. In CI (CI=true) or with --no-sync it
   writes nothing and refuses a stale notebook instead, naming it and showing the changed
   lines of its lesson.
2. Executes the notebooks from jupyter-cache when their code and the inputs they depend on
   (helpers/, requirements.txt) are unchanged; a change to those inputs clears the cache,
   so a cached page never shows numbers that the current helpers would not produce.
3. Builds strictly (Sphinx -W -n --keep-going): any warning, any failing cell fails the
   build. A failing lesson is reported as `lessons_src/NN_name.md:LINE: AssertionError: ...`
   and its page is replaced by a "not built" notice (book/_ext/build_guard.py); after a
   failed build the next one re-reads every page, so no warning is forgotten.
4. Prints only what matters: which notebooks ran, the warnings, the result, and how to
   read the site over http.

5. Builds both editions: the English one into _build/html, then the Japanese one into
   _build/html/ja (scripts/build_ja.py derives its config and toc and calls `build()`
   with its own source folder, config, toc, output and cache).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import lessons  # noqa: E402
from lessons import ROOT, rel  # noqa: E402

BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
STATE = BUILD / ".build-state.json"
INPUTS = ["helpers/**/*.py", "requirements.txt", "pyproject.toml"]
KERNEL_CONFIG = ("# Written by scripts/build.py: keep notebook kernels quiet in the build\n"
                 "# (no 'Kernel is running over TCP without encryption' on every notebook).\n"
                 "c.IPKernelApp.log_level = 'ERROR'\n")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def inputs_digest() -> str:
    """A hash of what executed notebooks depend on besides their own code."""
    digest = hashlib.sha256()
    for pattern in INPUTS:
        for path in sorted(ROOT.glob(pattern)):
            if "__pycache__" in path.parts:
                continue
            digest.update(rel(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def quiet_kernels() -> None:
    """Silence ipykernel's transport warning: a config file in this environment's etc/."""
    if sys.prefix == sys.base_prefix:  # not a virtual environment: leave it alone
        return
    path = Path(sys.prefix, "etc", "ipython", "ipython_kernel_config.py")
    if not path.exists() or path.read_text(encoding="utf-8") != KERNEL_CONFIG:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(KERNEL_CONFIG, encoding="utf-8")


def sync_first(write: bool) -> int:
    """Regenerate stale notebooks, or (write=False) refuse them with the changed lines."""
    import check
    import sync

    stale = sync.stale()
    if not stale:
        return 0
    if write:
        return sync.main([])
    for source in stale:
        problems = list(check.RULES["sync"].func(lessons.parse(source), check.Book()))
        for problem in problems or [f"{rel(source)}:1: its setup cell does not install the "
                                    "repository in _config.yml: run `make sync`"]:
            print(problem, file=sys.stderr)
    print(f"build: {len(stale)} notebook(s) out of date with their lessons: run `make sync` "
          "and commit the result", file=sys.stderr)
    return 1


class _Status(io.TextIOBase):
    """Sphinx's status stream, reduced to the notebooks executed and the result."""

    def __init__(self, out) -> None:
        self.out, self.buffer_ = out, ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.buffer_ += text
        while "\n" in self.buffer_:
            line, self.buffer_ = self.buffer_.split("\n", 1)
            self._line(_ANSI.sub("", line))
        return len(text)

    def _line(self, line: str) -> None:
        executing = re.search(r"(\S+\.ipynb): Executing notebook", line)
        executed = re.search(r"(\S+\.ipynb): Executed notebook in ([\d.]+) seconds", line)
        if executing:
            self.out.write(f"executing {rel(Path(executing.group(1)))}\n")
        elif executed:
            self.out.write(f"  executed in {float(executed.group(2)):.1f} s\n")
        elif line.startswith(("build succeeded", "build finished")):
            self.out.write(line + "\n")
        else:
            return
        self.out.flush()

    def flush(self) -> None:
        self.out.flush()


def _state() -> dict:
    try:
        return json.loads(STATE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build(config: Path = ROOT / "_config.yml", toc: Path = ROOT / "_toc.yml",
          output: Path = BUILD / "html", doctrees: Path | None = None,
          verbose: bool = False, srcdir: Path = ROOT, cache: Path = CACHE,
          overrides: dict | None = None) -> int:
    """Build one edition of the book strictly; return 0 on success.

    `srcdir` is Sphinx's source folder (the repository root for the English edition),
    `cache` the edition's jupyter-cache folder, `overrides` extra Sphinx settings.
    """
    from jupyter_book.sphinx import build_sphinx

    output = Path(output).resolve()
    key = rel(output)
    if doctrees is None:
        doctrees = BUILD / (".doctrees" if output == (BUILD / "html").resolve()
                            else ".doctrees-" + re.sub(r"\W+", "-", key))
    state = _state()
    digest = inputs_digest()
    fresh = False
    if state.get("inputs") != digest:
        caches = sorted(BUILD.glob(CACHE.name + "*"))  # every edition's cache
        if caches and state.get("inputs"):
            print("helpers or the pinned packages changed: executing every notebook again")
        import shutil

        for folder in caches:
            shutil.rmtree(folder, ignore_errors=True)
        fresh = True
    if state.get(key, {}).get("failed"):
        fresh = True  # re-read every page, so every warning of the last build shows again
    quiet_kernels()
    overrides = {"external_toc_path": Path(toc).resolve().as_posix(),
                 "latex_individualpages": False, "nitpicky": True,
                 "nb_execution_cache_path": str(cache), **(overrides or {})}
    start = time.perf_counter()
    status = sys.stdout if verbose else _Status(sys.stdout)
    with contextlib.redirect_stdout(status):
        result = build_sphinx(srcdir, output, noconfig=True, path_config=str(config),
                              confoverrides=overrides, doctreedir=str(doctrees),
                              warningiserror=True, keep_going=True, freshenv=fresh,
                              builder="html", verbosity=1 if verbose else 0)
    failed = result != 0
    state.update({"inputs": digest, key: {"failed": failed}})
    BUILD.mkdir(exist_ok=True)
    STATE.write_text(json.dumps(state, indent=1), encoding="utf-8")
    seconds = time.perf_counter() - start
    if failed:
        print(f"\nThe build FAILED after {seconds:.0f} s: the problems are listed above, each "
              "with the lesson line to fix.\nPages of failed lessons in "
              f"{key} say 'not built'. Fix, then run `make build` again.", file=sys.stderr)
        return 1
    return 0


def serve_hint(output: Path = BUILD / "html") -> str:
    return (f"\nThe book is built in {rel(output)}. Read it over http, where the search "
            "works too (it does not from file://):\n"
            f"    make serve        (python -m http.server -d {rel(output)} 8000)\n"
            "and open http://localhost:8000 (the Japanese edition: http://localhost:8000/ja/)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="Sphinx's full output")
    parser.add_argument("--no-sync", action="store_true",
                        help="refuse stale notebooks instead of regenerating them "
                        "(the default when CI is set)")
    parser.add_argument("--edition", choices=("all", "en", "ja"), default="all",
                        help="which edition to build (default: both)")
    args = parser.parse_args(argv)
    in_ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
    if sync_first(write=not (args.no_sync or in_ci)):
        return 1
    status = 0
    if args.edition in ("all", "en"):
        status = build(verbose=args.verbose)
    if args.edition in ("all", "ja") and (ROOT / "book" / "ja").is_dir():
        import build_ja

        # the Japanese edition is built even when the English one failed: every problem
        # of both shows in one run
        status = build_ja.build(verbose=args.verbose) or status
    if status == 0:
        print(serve_hint())
    return status


if __name__ == "__main__":
    sys.exit(main())
