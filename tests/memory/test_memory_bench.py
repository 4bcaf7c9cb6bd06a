from __future__ import annotations

import json

import pytest
from memfakes import HashEmbedder

from housemind.memory.bench import run_bench


def test_bench_reports_every_number_at_a_small_size(tmp_path) -> None:
    r = run_bench(
        observations=300,
        events=200,
        months=0.1,
        queries=20,
        embedder=HashEmbedder(),
        workdir=tmp_path,
    )
    json.dumps(r)
    for key in (
        "observation_inserts_per_s",
        "last_seen_p95_ms",
        "semantic_search_p95_ms",
        "semantic_search_filtered_p95_ms",
    ):
        assert r[key] > 0, key
    assert r["observations_logged"] == 300
    assert r["months"]["days"] == 3 and r["months"]["db_bytes"] > 0
    assert set(r["met"]) == set(r["targets"])


@pytest.mark.slow
def test_cli_bench_memory_quick() -> None:
    from typer.testing import CliRunner

    from housemind.agent.cli import app

    r = CliRunner().invoke(app, ["bench", "memory", "--quick", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["sizes"]["observations"] == 1000 and out["semantic_search_p95_ms"] > 0
