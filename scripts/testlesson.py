"""Test one lesson: its check, its notebook (nbval) and its seed tests (`make test-lesson L=04`).

Usage:  python scripts/testlesson.py LESSON [pytest options]

LESSON is 04, 04_pca, lessons_src/04_pca.md, or ja/04 for a second edition. The seed tests
of lesson `NN_name` are the files tests/test_<name>*.py (04_pca: tests/test_pca_seeds.py;
02_taxonomy: tests/test_taxonomy.py). The notebook is regenerated from its source first
(`make sync`), so what runs is what was just edited. Failures name the lesson's source
line: `lessons_src/04_pca.md:341: AssertionError: ...`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import check  # noqa: E402
import lessons  # noqa: E402
import sync  # noqa: E402
from lessons import ROOT, rel  # noqa: E402


def seed_tests(source: Path) -> list[Path]:
    """tests/test_<name>*.py for lessons_src/NN_<name>.md (the convention in README.md)."""
    name = source.stem.split("_", 1)[1]
    return sorted((ROOT / "tests").glob(f"test_{name}*.py"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    (source,) = check.resolve(argv[:1])
    extra = argv[1:]
    in_ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
    if not in_ci:
        sync.main([])
    problems = check.run([source])
    problems, _ = check.split_known(problems, check.known_problems(), {rel(source)})
    for problem in problems:
        print(problem)
    targets = [rel(lessons.notebook_for(source))] + [rel(p) for p in seed_tests(source)]
    print(f"test-lesson: {len(problems)} rule problem(s); running "
          + " ".join(targets), flush=True)
    # One process: on two busy cores, two xdist workers were slower than one (and start
    # torch twice); the lesson's notebook runs first, then its seed tests.
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0",
                             *targets, *extra], cwd=ROOT)
    return 1 if problems or result.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
