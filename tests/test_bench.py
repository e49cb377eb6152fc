"""The benchmark tooling: the committed results draw, BENCHMARKS.md shows
them as they are, and wrk's output parses.

The numbers themselves are measured by `make bench`, never asserted here.
"""

import json
import sys
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH_DIR))

import report  # noqa: E402
import throughput  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_committed_results_draw_every_plot(tmp_path):
    written = report.plot_all(BENCH_DIR / "results", tmp_path)

    assert sorted(path.name for path in written) == ["bench-deploy.png", "bench-throughput.png"]
    for path in written:
        assert path.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(("text", "milliseconds"), [("830.00us", 0.83), ("12.5ms", 12.5), ("1.02s", 1020.0)])
def test_wrk_latency_units(text, milliseconds):
    assert throughput._latency_ms(text) == milliseconds


def test_committed_results_name_their_targets():
    deploy = json.loads((BENCH_DIR / "results" / "deploy.json").read_text())
    speed = json.loads((BENCH_DIR / "results" / "throughput.json").read_text())

    assert set(deploy["targets"]) == {"fresh_over_floor", "noop_seconds", "six_over_one"}
    assert deploy["single_host"]["noop_changed"]
    assert not any(deploy["single_host"]["noop_changed"])
    assert {(point["processes"], point["threads"]) for point in speed["grid"]} >= {(1, 1), (2, 2)}


def test_benchmarks_md_shows_the_committed_results():
    text = report.BENCHMARKS_MD.read_text()

    assert "<!-- bench:deploy -->" in text
    assert "(run `make bench`)" not in text
    assert report.render_benchmarks_md(text) == text, "BENCHMARKS.md is stale: run bench/report.py"
