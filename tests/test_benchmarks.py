"""benchmarks/run.py rewrites the sections it measures and keeps the ones added by hand."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)

OLD = """# Benchmark results

- date: old

## a) Training

old a

## b) Speed

old b

## f) Mutation (added by hand)

kept f
"""


def test_a_full_run_replaces_its_sections_and_the_header_and_keeps_the_hand_added():
    new = ["# Benchmark results", "", "- date: new", "", "## a) Training", "", "new a", "",
           "## b) Speed", "", "new b", ""]
    text = run.merge_sections(OLD, new, new_head=True)
    assert "- date: new" in text and "- date: old" not in text
    assert "new a" in text and "new b" in text and "old a" not in text
    assert "kept f" in text
    assert text.index("## a)") < text.index("## b)") < text.index("## f)")


def test_one_section_keeps_the_header_and_every_other_section():
    new = ["# Benchmark results", "", "- date: new", "", "## b) Speed", "", "new b", ""]
    text = run.merge_sections(OLD, new)
    assert "- date: old" in text and "- date: new" not in text
    assert "old a" in text and "new b" in text and "old b" not in text and "kept f" in text
