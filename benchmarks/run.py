"""Benchmarks of the book: training to the Eckart-Young bound, the book's own speed, site weight.

Usage (after `make install`):  make benchmark   or   .venv/bin/python benchmarks/run.py
Writes benchmarks/RESULTS.md and prints the same text. Options:
  --only training|speed|weight|loop   run one section (the others in RESULTS.md are kept)
  --seeds N                      seeds per training recipe (default 20)

Section b) deletes and rebuilds _build/ (a cold build); run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOLERANCE = 1e-4  # "reached the bound": full-data MSE <= (1 + TOLERANCE) * bound

# name, keyword arguments of helpers.training.fit_linear_autoencoder, optimizer steps per record
RECIPES = [
    ("article: minibatch Adam, lr 0.01, batch 32, 200 epochs", {"recipe": "article"}, 5),
    ("full-batch Adam, lr 0.05, 2000 steps", {"recipe": "adam", "steps": 2000}, 1),
    ("full-batch L-BFGS, strong Wolfe, 50 steps", {"recipe": "lbfgs", "steps": 50}, 1),
    ("tied, article recipe", {"recipe": "article", "tied": True}, 5),
    ("tied, full-batch Adam, 2000 steps", {"recipe": "adam", "steps": 2000, "tied": True}, 1),
    ("tied, full-batch L-BFGS, 50 steps", {"recipe": "lbfgs", "steps": 50, "tied": True}, 1),
]


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = names[0] if names else cpu
    return [
        f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores",
        f"- Python {platform.python_version()}, torch {torch.__version__}, numpy {np.__version__}",
        f"- torch threads: {torch.get_num_threads()} (fixed by `helpers`)",
    ]


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


# --------------------------------------------------------------------------- a) training

def training_section(n_seeds: int) -> list[str]:
    from helpers import data, linalg, training

    X = data.iris().X
    bound = linalg.eckart_young_bound(linalg.pca(X).eigenvalues, 2)
    training.fit_linear_autoencoder(X, 2, seed=0, recipe="adam", steps=50)  # warm-up
    runs = {}
    for name, kwargs, steps_per_record in RECIPES:
        per_seed = []
        for seed in range(n_seeds):
            _, result = training.fit_linear_autoencoder(X, 2, seed=seed, **kwargs)
            ratio = result.loss_history / bound
            hit = np.flatnonzero(ratio <= 1 + TOLERANCE)
            per_seed.append({
                "final": ratio[-1],
                "total_time": result.elapsed[-1],
                "steps": (hit[0] + 1) * steps_per_record if hit.size else None,
                "time": result.elapsed[hit[0]] if hit.size else None,
            })
        runs[name] = per_seed
        print(f"  trained: {name}", file=sys.stderr)

    article = runs[RECIPES[0][0]]
    # The article's time per seed: to the bound if it got there, else its whole run.
    article_time = [r["time"] if r["time"] is not None else r["total_time"] for r in article]
    article_never = sum(r["time"] is None for r in article)
    lines = [
        "## a) Training to the Eckart–Young bound (Iris, standardized, 4-2-4 linear, no bias)",
        "",
        f"Bound (sum of the two discarded eigenvalues / 4): {bound:.6f}. "
        f"'Reached' means full-data MSE <= (1 + {TOLERANCE:g}) x bound, checked after every "
        f"epoch (article recipe) or step. {n_seeds} seeds each (0-{n_seeds - 1}); each seed is "
        "trained alone, timed with `time.perf_counter`, including the full-data MSE after every "
        "epoch or step.",
        "",
        "| recipe | final MSE / bound: min / median / max | seeds reached | steps to reach "
        "(median) | time to reach (median) | speed-up vs article (median over seeds) |",
        "|---|---|---|---|---|---|",
    ]
    for name, _, _ in RECIPES:
        per_seed = runs[name]
        finals = [r["final"] for r in per_seed]
        reached = [r for r in per_seed if r["time"] is not None]
        if reached:
            steps = f"{statistics.median(r['steps'] for r in reached):.0f}"
            when = fmt_time(statistics.median(r["time"] for r in reached))
            speed = [a / r["time"] for a, r in zip(article_time, per_seed) if r["time"]]
            speedup = f"{statistics.median(speed):.1f}x (min {min(speed):.1f}x)"
        else:
            steps, when, speedup = "never", "never", "-"
        lines.append(
            f"| {name} | {min(finals):.6f} / {statistics.median(finals):.6f} / "
            f"{max(finals):.6f} | {len(reached)} of {n_seeds} | {steps} | {when} | {speedup} |")
    lines += [
        "",
        f"The article's recipe reached the bound on {n_seeds - article_never} of {n_seeds} "
        f"seeds; on the other {article_never} its time is the whole 200-epoch run "
        f"(median {fmt_time(statistics.median(r['total_time'] for r in article))}), so the "
        "speed-up against it is a lower bound there. L-BFGS steps are outer iterations of up "
        "to 20 function evaluations each.",
        "",
    ]
    return lines


# --------------------------------------------------------------------------- b) speed

def run_timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def run_timed_cpu(command: list[str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of the command and its children)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run_timed(command)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def notebook_time(path: Path) -> tuple[float, float]:
    """Seconds from starting a fresh kernel to the last cell's end, and of the cells alone.

    The kernel's shutdown afterwards (about 2 s of interpreter teardown that no reader
    waits for) is not counted.
    """
    import nbformat
    from nbclient import NotebookClient

    client = NotebookClient(nbformat.read(path, as_version=4), timeout=600,
                            kernel_name="python3", shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        cells_start = time.perf_counter()
        for index, cell in enumerate(client.nb.cells):
            client.execute_cell(cell, index)
        end = time.perf_counter()
    return end - start, end - cells_start


def speed_section() -> list[str]:
    lines = ["## b) The book's own speed", "",
             "Each notebook: median of 3 runs, each in a fresh kernel; the time runs from "
             "starting the kernel to the end of the last cell (the cells alone in brackets). "
             "About 3 s of every notebook is PyTorch's fixed cost: importing torch (1.6 s) "
             "and, on the first optimizer, torch._dynamo (1.7 s).", "",
             "| what | time |", "|---|---|"]
    for path in sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb")):
        runs = [notebook_time(path) for _ in range(3)]
        total = statistics.median(r[0] for r in runs)
        cells = statistics.median(r[1] for r in runs)
        lines.append(f"| execute {path.name} | {total:.1f} s (cells {cells:.1f} s) |")
        print(f"  executed: {path.name}", file=sys.stderr)
    jb = [str(BIN / "python"), "scripts/build.py", "--edition", "en"]
    ja = [str(BIN / "python"), "scripts/build.py", "--edition", "ja"]  # Japanese edition
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    cold = run_timed(jb)
    cold_ja = run_timed(ja)
    warm = run_timed(jb)
    warm_ja = run_timed(ja)
    print("  built the book, cold and warm", file=sys.stderr)
    pytest = [str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:randomly",
              "-n", "2", "--dist", "loadgroup"]
    quick = run_timed(pytest + ["-m", "not site and not colab and not build"])
    full = run_timed(pytest)
    print("  ran the test suites", file=sys.stderr)
    lines += [
        f"| helpers tests + book checks + nbval over every notebook "
        f"(`pytest -n 2 -m \"not site and not colab and not build\"`) | {quick:.0f} s |",
        f"| full test suite (`pytest -n 2`: adds built-site, browser and Colab-readiness tests; "
        f"site already built) | {full:.0f} s |",
        f"| cold book build (`_build/` deleted, every notebook executed) | {cold:.0f} s |",
        f"| warm rebuild (nothing changed, execution cached) | {warm:.1f} s |",
        f"| cold build of the Japanese edition (`scripts/build_ja.py`, after the English "
        f"one) | {cold_ja:.0f} s |",
        f"| warm rebuild of the Japanese edition | {warm_ja:.1f} s |",
        "",
    ]
    return lines


# --------------------------------------------------------------------------- d) loop

EDIT_LESSON = "04_pca"
EDIT_FROM = "Iris has $N = 150$ flowers"
EDIT_TO = "Iris has $N = 150$ flowers (edited)"


def loop_section() -> list[str]:
    """The instructor's loop: make check, one lesson's tests, a sentence to the page."""
    python = str(BIN / "python")
    load = os.getloadavg()[0]
    checks = [run_timed_cpu([python, "scripts/check.py"]) for _ in range(3)]
    one_lesson = run_timed_cpu([python, "scripts/testlesson.py", EDIT_LESSON[:2]])
    print("  timed make check and make test-lesson", file=sys.stderr)
    source = ROOT / "lessons_src" / f"{EDIT_LESSON}.md"
    page = ROOT / "_build" / "html" / "book" / f"{EDIT_LESSON}.html"
    original = source.read_text(encoding="utf-8")
    assert EDIT_FROM in original, f"benchmark: {EDIT_FROM!r} not in {source.name}"
    run_timed([python, "scripts/build.py"])  # a built, cached site to start from
    try:
        source.write_text(original.replace(EDIT_FROM, EDIT_TO, 1), encoding="utf-8")
        edit = run_timed_cpu([python, "scripts/build.py"])
        assert "(edited)" in page.read_text(encoding="utf-8"), "the edit is not on the page"
    finally:
        source.write_text(original, encoding="utf-8")
        run_timed([python, "scripts/build.py"])
    print("  timed a sentence edit to the rebuilt page", file=sys.stderr)
    check = min(checks)

    def cell(t: tuple[float, float]) -> str:
        return f"{fmt_time(t[0])} | {fmt_time(t[1])}"

    return [
        "## d) The instructor's loop", "",
        f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on this machine "
        f"({os.cpu_count()} cores, shared with other jobs: load average {load:.1f} when it "
        "started, so the wall-clock times are upper bounds; the CPU time, of the command and "
        "everything it started, is what the work costs).", "",
        "| what | wall clock | CPU |", "|---|---|---|",
        f"| `make check` (every rule, every lesson, no kernel; best of 3) | {cell(check)} |",
        f"| `make test-lesson L={EDIT_LESSON[:2]}` (sync, check, nbval of the notebook, its "
        f"seed tests) | {cell(one_lesson)} |",
        f"| edit a sentence of lessons_src/{EDIT_LESSON}.md, then `make build` until the "
        f"page shows it (sync, cached execution, one page rebuilt) | {cell(edit)} |",
        "",
    ]


def merge_sections(old: str, new_lines: list[str], new_head: bool = False) -> str:
    """Replace the sections of `old` that `new_lines` holds, keep the others.

    Sections this script does not write (those added by hand, such as the mutation
    record) are always kept; `new_head` takes the header (date, machine) from `new_lines`.
    """
    def split(text: str) -> tuple[str, dict[str, str]]:
        parts = re.split(r"(?m)^(?=## [a-z]\) )", text)
        return parts[0], {re.match(r"## ([a-z])\)", p).group(1): p for p in parts[1:]}

    head_old, old_parts = split(old)
    head_new, new_parts = split("\n".join(new_lines))
    old_parts.update(new_parts)
    return (head_new if new_head else head_old) + "".join(old_parts[k].rstrip("\n") + "\n\n"
                              for k in sorted(old_parts)).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- c) weight

def weight_section() -> list[str]:
    html_dir = ROOT / "_build" / "html"
    if not (html_dir / "index.html").exists():
        return ["## c) Site weight", "", "(the site is not built: run `make build`)", ""]
    lines = ["## c) Site weight", "",
             "Per lesson page: the HTML and the images it shows (shared CSS, JavaScript, "
             "fonts and MathJax are loaded once for the whole site and listed below).", "",
             "| page | HTML | images | total |", "|---|---|---|---|"]
    for page in sorted((html_dir / "book").glob("[0-9][0-9]_*.html")):
        text = page.read_text(encoding="utf-8")
        images = {(page.parent / src).resolve()
                  for src in re.findall(r'<img[^>]+src="([^"]+)"', text)
                  if not src.startswith(("http", "data:"))}
        img_bytes = sum(p.stat().st_size for p in images if p.exists())
        html_bytes = page.stat().st_size
        lines.append(f"| {page.name} | {html_bytes / 1024:.0f} KiB | {img_bytes / 1024:.0f} KiB "
                     f"({len(images)} files) | {(html_bytes + img_bytes) / 1024:.0f} KiB |")
    static = sum(p.stat().st_size for p in (html_dir / "_static").rglob("*") if p.is_file())
    mathjax = sum(p.stat().st_size for p in (html_dir / "_static" / "mathjax").rglob("*")
                  if p.is_file())
    lines += ["", f"Shared `_static/`: {static / 2**20:.1f} MiB, of which MathJax (served "
              f"locally, loaded on demand) {mathjax / 2**20:.1f} MiB.", ""]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["training", "speed", "weight", "loop"])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    import helpers  # noqa: F401  (fixes the torch thread count before it is recorded)

    lines = ["# Benchmark results", "", "Written by `make benchmark` (benchmarks/run.py).", ""]
    lines += machine() + [""]
    if args.only in (None, "training"):
        lines += training_section(args.seeds)
    if args.only in (None, "speed"):
        lines += speed_section()
    if args.only in (None, "weight"):
        lines += weight_section()
    if args.only in (None, "loop"):
        lines += loop_section()
    results = ROOT / "benchmarks" / "RESULTS.md"
    if results.exists():     # a full run replaces a) to d) and keeps the hand-added ones
        text = merge_sections(results.read_text(encoding="utf-8"), lines,
                              new_head=not args.only)
    else:
        text = "\n".join(lines)
    results.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
