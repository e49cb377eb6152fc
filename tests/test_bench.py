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

import deploy  # noqa: E402
import report  # noqa: E402
import throughput  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_committed_results_draw_every_plot(tmp_path):
    written = report.plot_all(BENCH_DIR / "results", tmp_path)

    assert sorted(path.name for path in written) == ["bench-deploy.png", "bench-throughput.png"]
    for path in written:
        assert path.read_bytes().startswith(PNG_SIGNATURE)


WRK_OUTPUT = """Running 5s test @ http://127.0.0.1/app
Requests/sec:   3087.10
bench-report 1000 1 2 0 3 0
bench-quantiles {quantiles}
"""


def wrk_output(quantiles):
    return WRK_OUTPUT.format(quantiles=" ".join(str(value) for value in quantiles))


def test_wrk_report_parses():
    parsed = throughput.parse_wrk_report(wrk_output(range(1, 1001)))

    assert parsed["requests"] == 1000
    assert parsed["socket_errors"] == {"connect": 1, "read": 2, "write": 0, "timeout": 3}
    assert parsed["status_errors"] == 0
    assert parsed["quantiles"][989] == 990


def test_p99_is_taken_over_every_repeat_weighted_by_requests():
    fast = {"requests": 9000, "quantiles": [1000] * 1000}  # 1 ms every request
    slow = {"requests": 1000, "quantiles": [50000] * 1000}  # 50 ms every request
    # A tenth of all requests took 50 ms: the pooled p99 is 50 ms, although
    # the first repeat's own p99 is 1 ms.
    assert throughput.pooled_percentile([fast, slow], 99) == 50.0
    assert throughput.pooled_percentile([fast, slow], 50) == 1.0


@pytest.mark.parametrize(
    ("value", "target", "at_most", "noise", "expected"),
    [
        (2.65, 3.0, True, 34, "within noise"),
        (2.65, 3.0, True, 5, "met"),
        (3.2, 3.0, True, 5, "missed"),
        (1.27, 0.95, False, 21, "met"),
        (0.9, 0.95, False, 10, "within noise"),
    ],
)
def test_verdict_says_within_noise_inside_the_spread(value, target, at_most, noise, expected):
    assert report.verdict(value, target, at_most, noise).startswith(expected)


def fleet(*noop_medians):
    return {
        str(count): {"noop_median": median, "noop_controller_cpu_median": median * 2}
        for count, median in zip((1, 5, 10), noop_medians, strict=True)
    }


def test_per_host_cost_is_the_slope_of_the_no_op_over_the_host_count():
    assert deploy.per_host(fleet(2.0, 4.0, 6.5)) == 0.5
    assert deploy.per_host(fleet(2.0, 4.0, 6.5), "noop_controller_cpu_median") == 1.0
    assert deploy.per_host({"1": {"noop_median": 2.0}}) is None


def test_scale_table_judges_the_per_host_cost_against_its_target():
    scale = {
        count: dict(entry, floor_median=1, fresh_median=2, noop_seconds=[entry["noop_median"]])
        for count, entry in fleet(2.0, 3.0, 4.0).items()
    }
    results = {
        "scale": scale,
        "targets": {"fleet_per_host_seconds": 0.3},
        "fleet_per_host_seconds": deploy.per_host(scale),
        "fleet_per_host_controller_cpu_seconds": deploy.per_host(scale, "noop_controller_cpu_median"),
    }
    table = report.scale_table(results)

    assert "Each more host adds **0.221 s** to a no-op run" in table
    assert "met (target ≤ 0.3)" in table
    assert "grows by 0.443 s per host" in table


def test_a_code_change_is_a_script_the_host_has_not_seen(tmp_path):
    first = Path(deploy.changed_script(tmp_path, "a")["flask_wsgi_script_src"]).read_text()
    second = Path(deploy.changed_script(tmp_path, "b")["flask_wsgi_script_src"]).read_text()

    assert first != second
    assert first.startswith(deploy.SCRIPT.read_text())


def test_spread_comes_from_the_runs():
    assert report.spread([90, 100, 110]) == 20
    assert report.spread([5]) == 0


def test_committed_results_name_their_targets():
    speeds = json.loads((BENCH_DIR / "results" / "deploy.json").read_text())
    speed = json.loads((BENCH_DIR / "results" / "throughput.json").read_text())

    assert set(speeds["targets"]) == set(deploy.TARGETS)
    single = speeds["single_host"]
    # Ansible's own floor, measured beside the role on the same hosts.
    assert single["ping_seconds"]
    assert single["noop_over_ping"] == round(single["noop_median"] - single["ping_median"], 2)
    # The tasks each run ran on the host, against the task targets.
    assert len(single["noop_tasks"]) == len(single["noop_seconds"])
    assert len(single["fresh_tasks"]) == len(single["fresh_seconds"])
    assert speeds["fleet_ping_per_host_seconds"] is not None
    assert single["noop_changed"]
    assert not any(single["noop_changed"])
    # Every code change deployed something, and the slowest run's tasks are kept.
    assert all(single["change_changed"])
    assert single["slowest_fresh_run"]["tasks"]
    assert {(point["processes"], point["threads"]) for point in speed["grid"]} >= {(1, 1), (2, 2)}


def test_benchmarks_md_shows_the_committed_results():
    text = report.BENCHMARKS_MD.read_text()

    assert "<!-- bench:deploy -->" in text
    assert "(run `make bench`)" not in text
    assert report.render_benchmarks_md(text) == text, "BENCHMARKS.md is stale: run bench/report.py"
