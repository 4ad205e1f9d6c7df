"""``benchmarks/workspace_bench.py`` in a tiny configuration: every page it times answers on both
backends (the figures themselves are the benchmark's to print, not a test's to judge)."""

from __future__ import annotations

from benchmarks.workspace_bench import PAGES, _measure, _prepare, _serve


async def test_the_workspace_benchmark_runs_every_page(database_url: str) -> None:
    db, _ = await _prepare(database_url, 3_000)
    runner, base, token = await _serve(db)
    try:
        times = await _measure(base, token, repeat=1)
    finally:
        await runner.cleanup()
        await db.dispose()
    assert set(times) == set(PAGES) and all(len(t) == 1 for t in times.values())
