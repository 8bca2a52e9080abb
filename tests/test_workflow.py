"""The publishing workflow and CI run exactly the README's commands."""

from __future__ import annotations

import re

import pytest
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


# --------------------------------------------------------------------------- browsers

def _steps() -> list[dict]:
    return WORKFLOW["jobs"]["test"]["steps"]


def test_workflow_installs_a_browser_the_tests_will_find():
    """On Ubuntu 24.04 runners apt's chromium is a snap that does not start: the workflow
    installs Playwright's Chromium and names it to the tests with BOOK_BROWSER."""
    import test_browser

    runs = [s.get("run", "") for s in _steps()]
    install = next(i for i, r in enumerate(runs) if re.search(
        r"-m playwright install\b[^\n]*\bchromium\b", r))
    assert not any(re.search(r"apt(-get)? install[^\n]*\bchromium\b", r) for r in runs), \
        "apt's chromium on Ubuntu 24.04 is a snap that does not start on the runners"
    assert test_browser.BROWSER_VARIABLE in runs[install] and "GITHUB_ENV" in runs[install]
    assert "executable_path" in runs[install]
    make_install = runs.index("make install")
    make_test = runs.index(readme_commands()["test"])
    assert make_install < install < make_test, "venv first, then the browser, then the tests"


def test_ci_script_installs_a_browser_the_tests_will_find():
    import test_browser

    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"apt-get install[^\n]*\bchromium\b", ci)
    assert "chromium" in test_browser.SYSTEM_BROWSERS


def test_browser_variable_is_documented():
    import test_browser

    assert f"`{test_browser.BROWSER_VARIABLE}`" in README


def test_browser_variable_comes_first(monkeypatch, tmp_path):
    import test_browser

    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\necho Chromium 1.0\n")
    fake.chmod(0o755)
    monkeypatch.setenv(test_browser.BROWSER_VARIABLE, str(fake))
    assert test_browser.find_browser() == (str(fake), test_browser.BROWSER_VARIABLE)
    monkeypatch.setenv(test_browser.BROWSER_VARIABLE, str(tmp_path / "missing"))
    with pytest.raises(pytest.fail.Exception):
        test_browser.find_browser()


def test_system_browser_that_does_not_start_is_passed_over(monkeypatch, tmp_path):
    import test_browser

    stub = tmp_path / "chromium"  # like Ubuntu's snap stub without its snap
    stub.write_text("#!/bin/sh\necho \"Command '/usr/bin/chromium' requires the chromium "
                    "snap to be installed.\" >&2\nexit 1\n")
    stub.chmod(0o755)
    monkeypatch.delenv(test_browser.BROWSER_VARIABLE, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(test_browser, "playwright_browser", lambda: "/opt/pw/chrome")
    assert test_browser.find_browser() == ("/opt/pw/chrome", "playwright")


# --------------------------------------------------------------------------- make, README

MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _recipe(target: str) -> list[str]:
    block = re.search(rf"^{re.escape(target)}:.*?\n((?:\t.*\n)+)", MAKEFILE, re.M)
    assert block, f"Makefile has no target {target}"
    return [line.strip() for line in block.group(1).splitlines()]


def test_make_test_checks_then_builds_then_tests():
    recipe = "\n".join(_recipe("test"))
    check = recipe.index("scripts/check.py")
    build = recipe.index("scripts/build.py")
    tests = recipe.index("$(PYTEST)")
    assert check < build < tests
    assert "--dist loadgroup" in MAKEFILE  # a notebook's cells stay on one worker


def test_make_build_and_friends_use_the_scripts():
    assert any("scripts/build.py" in line for line in _recipe("build"))
    assert any("scripts/check.py" in line for line in _recipe("check"))
    assert any("scripts/testlesson.py" in line for line in _recipe("test-lesson"))
    assert any("http.server" in line for line in _recipe("serve"))


def test_readme_gives_the_loop_fork_and_lesson_steps():
    assert "make check" in README and "make test-lesson L=04" in README
    assert "make serve" in README and "http://localhost:8000" in README
    fork = README.split("## Forking and publishing the course", 1)[1].split("\n## ", 1)[0]
    for step in ("_config.yml", "make sync", "git commit", "git push", "Pages",
                 "GitHub Actions"):
        assert step in fork, f"the fork steps do not mention {step}"
    adding = README.split("## Editing or adding a lesson", 1)[1].split("\n## ", 1)[0]
    for step in ("make check", "_toc.yml", "make test-lesson", "git add", "make test",
                 "tests/test_<name>"):
        assert step in adding, f"adding a lesson does not mention {step}"


def test_licence_file_matches_the_readme():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    section = README.split("## Licence", 1)[1]
    assert "MIT" in section and "LICENSE" in section
    assert "text" in licence.lower() and "code" in licence.lower()
