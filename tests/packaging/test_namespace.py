"""housemind installs under one name and its command line stays thin and fast."""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("agent", "skills", "memory", "scheduler", "safety", "sim")
runner = CliRunner()


def _setup_packages() -> tuple[dict[str, str], list[str]]:
    """The package_dir mapping and package list that setup.py computes."""
    code = (ROOT / "setup.py").read_text().replace("setup(package_dir", "_ = dict(package_dir")
    scope: dict = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "setup.py", "exec"), scope)
    finally:
        os.chdir(cwd)
    return scope["package_dir"], scope["packages"]


def test_every_package_is_under_the_housemind_name():
    package_dir, packages = _setup_packages()
    assert all(p == "housemind" or p.startswith("housemind.") for p in packages)
    assert set(package_dir) == {"housemind", *(f"housemind.{f}" for f in FOLDERS)}
    on_disk = {
        "housemind." + ".".join(p.parent.relative_to(ROOT).parts)
        for f in FOLDERS
        for p in (ROOT / f).rglob("__init__.py")
    }
    assert on_disk <= set(packages)


def test_no_module_imports_a_bare_top_level_name():
    bare = set(FOLDERS)
    offenders = []
    for folder in (*FOLDERS, "housemind", "examples", "tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                offenders += [f"{path}:{node.lineno}" for n in names if n.split(".")[0] in bare]
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    # code run in a subprocess (python -c "...") is checked too
                    pattern = r"\bfrom ([a-z_]+)[.\w]* import\b|(?:^|[;\n])\s*import ([a-z_]+)"
                    for m in re.finditer(pattern, node.value):
                        if (m[1] or m[2]) in bare:
                            offenders.append(f"{path}:{node.lineno} (in a string)")
    assert offenders == []


def test_package_resources_are_found_by_package_not_by_top_level_name():
    # resources.files("safety") worked only from the repository root
    offenders = [
        str(p)
        for f in FOLDERS
        for p in (ROOT / f).rglob("*.py")
        if any(f'files("{name}' in p.read_text() for name in FOLDERS)
    ]
    assert offenders == []


def test_bare_names_are_not_importable_outside_the_checkout(tmp_path):
    code = (
        "import importlib, json\n"
        "out = {}\n"
        f"for n in {list(FOLDERS)!r}:\n"
        "    try:\n"
        "        importlib.import_module(n); out[n] = True\n"
        "    except ModuleNotFoundError:\n"
        "        out[n] = False\n"
        "import housemind.safety, housemind.sim.home\n"
        "print(json.dumps(out))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert json.loads(res.stdout) == dict.fromkeys(FOLDERS, False)


def test_python_dash_m_housemind_is_the_cli():
    res = subprocess.run(
        [sys.executable, "-m", "housemind", "--help"], capture_output=True, text=True, check=True
    )
    assert "standing instructions" in res.stdout and "demo" in res.stdout


def test_gymnasium_id_is_kept():
    import gymnasium as gym

    importlib.import_module("housemind.sim.home")
    assert "housemind/HomeSim-v1" in gym.registry


def test_help_of_every_command_and_group():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    import typer.main

    click_app = typer.main.get_command(app)
    for name, cmd in click_app.commands.items():
        res = runner.invoke(app, [name, "--help"])
        assert res.exit_code == 0, (name, res.output)
        for sub in getattr(cmd, "commands", {}):
            res = runner.invoke(app, [name, sub, "--help"])
            assert res.exit_code == 0, (name, sub, res.output)


def test_cli_modules_are_thin():
    cli = ROOT / "agent" / "cli"
    lengths = {p.name: len(p.read_text().splitlines()) for p in cli.glob("*.py")}
    assert len(lengths) >= 8
    assert {k: v for k, v in lengths.items() if v > 320} == {}


def test_readme_and_docs_link_nothing_outside_the_repository():
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        text = doc.read_text()
        assert "../shared" not in text and "DESIGN.md" not in text, doc
        for target in re.findall(r"\]\(([^)#]+)", text):
            if target.startswith(("http://", "https://")):
                continue
            assert (doc.parent / target).resolve().is_relative_to(ROOT), (doc, target)
            assert (doc.parent / target).exists(), (doc, target)


@pytest.mark.parametrize("doc", ["architecture.md", "skills.md"])
def test_docs_in_the_project(doc):
    assert (ROOT / "docs" / doc).is_file()
