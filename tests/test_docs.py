"""The README's examples run, and CI runs the README's test command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.DOTALL)


def quick_start() -> list[str]:
    return [line for line in _blocks("bash")[0].splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands() -> None:
    install, tests = quick_start()
    assert install.startswith("pip install") and "ctkg build" in install
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert quick_start()[1] in ci.splitlines()


def test_quick_start_answers(tmp_path: Path) -> None:
    """The ctkg part of the first quick-start command, on a fresh store."""
    cmd = quick_start()[0].split("&&", 1)[1].strip()
    env = dict(os.environ, CTKG_STORE=str(tmp_path / "store"))
    bindir = Path(sys.executable).parent
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    p = subprocess.run(cmd, shell=True, capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    shown = [line.split() for line in _blocks("text")[0].splitlines()[2:]]
    lines = p.stdout.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("reporter")) :]
    got = [line.split() for line in table[2:-1]]
    assert got == shown


def test_python_example_runs() -> None:
    code = _blocks("python")[0]
    scope: dict[str, object] = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "README.md", "exec"), scope)
    finally:
        os.chdir(cwd)
    rows = scope["rows"]
    assert isinstance(rows, list) and {r["addressee"] for r in rows} == {"CTC"}


def test_every_cli_command_is_documented() -> None:
    from ctkg.cli import COMMANDS

    for name in COMMANDS:
        assert f"ctkg {name}" in README, name
