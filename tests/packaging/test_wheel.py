"""A wheel built from the tree installs into a clean virtualenv and runs the demo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_in_a_clean_venv_and_runs_the_demo(tmp_path):
    # Build from a clean copy of the tree (no stale build/ or *.egg-info to hide a file
    # that package-data does not name).
    src = tmp_path / "src"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.splitlines()  # fmt: skip
    for f in files:
        if (ROOT / f).is_file():
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, src / f)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=src, check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = dist.glob("housemind-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"housemind"}
    for data in ("housemind/safety/rules.yaml", "housemind/safety/hazards.yaml",
                 "housemind/sim/home/plans/house.yaml", "housemind/memory/alembic.ini",
                 "housemind/memory/migrations/script.py.mako",
                 "housemind/agent/web/templates/base.html",
                 "housemind/agent/web/static/app.js",
                 "housemind/agent/web/static/style.css",
                 "housemind/agent/planners/builtin/weights/model.safetensors",
                 "housemind/agent/planners/builtin/weights/config.json",
                 "housemind/agent/planners/builtin/scope.json",
                 "housemind/agent/planners/builtin/scope.safetensors",
                 "housemind/skills/vla/weights/homesim/model.safetensors",
                 "housemind/skills/vla/weights/homesim/config.json",
                 "housemind/sim/home/vla_heldout.json"):  # fmt: skip
        assert data in names, data
    assert any(n.startswith("housemind/memory/migrations/versions/2026") for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )  # fmt: skip
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    dist_info = next(site.glob("housemind-*.dist-info"))
    top_level = {
        line.split("/")[0]
        for line in (dist_info / "RECORD").read_text().splitlines()
        if not line.startswith("../")
    }
    assert top_level == {"housemind", dist_info.name}
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "HF_HUB_OFFLINE": "1"}
    res = subprocess.run(
        [venv / "bin" / "housemind", "demo", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["chores_due"] == out["chores_done"] > 0 and out["chores_failed"] == 0
