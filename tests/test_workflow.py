"""The publishing workflow and CI run exactly the README's commands."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())


def readme_commands() -> dict[str, str]:
    block = re.search(r"## The two commands.*?```bash\n(.*?)```", README, re.S).group(1)
    lines = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    return {"build": lines[0], "test": lines[1]}


def test_readme_names_two_commands():
    assert readme_commands() == {"build": "make build", "test": "make test"}


def test_workflow_runs_the_test_command_and_deploys_the_built_site():
    steps = WORKFLOW["jobs"]["test"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert readme_commands()["test"] in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    deploy = WORKFLOW["jobs"]["deploy"]
    assert deploy["needs"] == "test" and "refs/heads/main" in deploy["if"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
    # yaml reads the key `on` as True
    assert "main" in WORKFLOW[True]["push"]["branches"]


def test_ci_script_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines()
                if line.strip() and not line.strip().startswith("#")]
    assert commands[-1] == readme_commands()["test"]
    assert "chromium" in ci  # the browser tests need it
