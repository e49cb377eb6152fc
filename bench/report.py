"""Turn the benchmark results into PNGs in docs/ and tables in BENCHMARKS.md.

    python bench/report.py

Reads bench/results/deploy.json and bench/results/throughput.json (whichever
exist), writes docs/bench-deploy.png and docs/bench-throughput.png, and
rewrites the blocks between <!-- bench:NAME --> and <!-- /bench:NAME --> in
BENCHMARKS.md.
"""

import json
import re
import statistics

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

from testbed import PROJECT_DIR, RESULTS_DIR, log  # noqa: E402

RESULTS = RESULTS_DIR
DOCS = PROJECT_DIR / "docs"


def plot_deploy(results, path):
    single = results["single_host"]
    scale = results.get("scale", {})
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), width_ratios=[3, 2])

    labels = ["floor script\n(fresh host)", "role\n(fresh host)", "role\n(no changes)"]
    values = [single["floor_median"], single["fresh_median"], single["noop_median"]]
    bars = left.bar(labels, values, color=["#9e9e9e", "#1f77b4", "#2ca02c"])
    left.bar_label(bars, fmt="%.1f s")
    left.set_ylabel("seconds (median)")
    left.set_title(f"One host over SSH: role is {single['fresh_over_floor']}x the floor")

    if scale:
        counts = sorted(scale, key=int)
        series = [
            ("floor script", "floor_median", "#9e9e9e"),
            ("role, fresh", "fresh_median", "#1f77b4"),
            ("role, no changes", "noop_median", "#2ca02c"),
        ]
        series = [item for item in series if all(item[1] in scale[count] for count in counts)]
        positions = range(len(counts))
        width = 0.8 / len(series)
        for index, (label, key, color) in enumerate(series):
            offset = (index - (len(series) - 1) / 2) * width
            values = [scale[count][key] for count in counts]
            bars = right.bar([p + offset for p in positions], values, width, label=label, color=color)
            right.bar_label(bars, fmt="%.0f", fontsize=8)
        right.set_xticks(list(positions), [f"{count} host{'s' if count != '1' else ''}" for count in counts])
        right.set_ylabel("seconds (median)")
        right.set_title("Hosts deployed at once (forks)")
        right.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def plot_throughput(results, path):
    figure, axes = plt.subplots(figsize=(8.5, 4.8))
    grid = results["grid"]
    for processes in sorted({point["processes"] for point in grid}):
        points = sorted((p for p in grid if p["processes"] == processes), key=lambda p: p["threads"])
        axes.plot(
            [p["threads"] for p in points],
            [p["rps_median"] for p in points],
            marker="o",
            label=f"mod_wsgi, {processes} process{'es' if processes > 1 else ''}",
        )
    axes.axhline(results["static"]["rps_median"], color="#9e9e9e", linestyle="--", label="Apache, static file")
    for gunicorn in results["gunicorn"]:
        axes.axhline(
            gunicorn["rps_median"], color="#d62728", linestyle=":", label=f"gunicorn, {gunicorn['workers']} workers"
        )
    default = results["default"]
    axes.plot(
        [default["threads"]], [default["rps_median"]], marker="*", markersize=16, color="black", linestyle="none",
        label=f"role default ({default['processes']} x {default['threads']})",
    )  # fmt: skip
    axes.set_xscale("log", base=2)
    axes.set_xticks(sorted({p["threads"] for p in grid}), [str(t) for t in sorted({p["threads"] for p in grid})])
    axes.set_xlabel("threads per daemon process")
    axes.set_ylabel("requests per second (median)")
    axes.set_ylim(bottom=0)
    environment = results["environment"]
    axes.set_title(f"Hello world, wrk -c{environment['connections']} inside the host ({environment['cpus']} vCPUs)")
    axes.legend(fontsize="small", loc="center right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


PLOTS = {"deploy": plot_deploy, "throughput": plot_throughput}
BENCHMARKS_MD = PROJECT_DIR / "BENCHMARKS.md"


def spread(values):
    """Run-to-run spread of VALUES: (largest - smallest) / median, in %."""
    values = list(values)
    if len(values) < 2:
        return 0
    return round(100 * (max(values) - min(values)) / statistics.median(values))


def verdict(value, target, at_most=True, noise=0):
    """met or missed against TARGET; "within noise" when VALUE is less than
    NOISE % (the spread of the runs behind it) from the target, either side."""
    bound = f"target {'≤' if at_most else '≥'} {target}"
    if abs(value - target) < target * noise / 100:
        return f"within noise ({bound}, runs spread {noise} %)"
    met = value <= target if at_most else value >= target
    return f"{'met' if met else 'missed'} ({bound})"


def measured_at_line(results):
    measured = results.get("measured_at")
    if not measured:
        return "Measured at: not recorded (these results predate recording the commit)."
    tree = ", with uncommitted changes" if measured["dirty"] else ""
    return f"Measured at commit `{measured['commit'][:10]}`{tree}, {measured['date']}."


def deploy_table(results):
    single = results["single_host"]
    targets = results["targets"]
    runs = len(single["floor_seconds"])
    fresh_noise = max(spread(single["floor_seconds"]), spread(single["fresh_seconds"]))
    noop_noise = spread(single["noop_seconds"])
    rows = [
        measured_at_line(results),
        "",
        "| One host over SSH | Median | Runs (s) |",
        "|---|---|---|",
        f"| Floor script, fresh host | {single['floor_median']} s | {', '.join(map(str, single['floor_seconds']))} |",
        f"| Role, fresh host | {single['fresh_median']} s | {', '.join(map(str, single['fresh_seconds']))} |",
        f"| Role, nothing to do | {single['noop_median']} s | {', '.join(map(str, single['noop_seconds']))} |",
        "",
        f"Medians of {runs} fresh runs, each on a new host, and {len(single['noop_seconds'])} no-op runs.",
        f"Run-to-run spread ((largest - smallest) / median): floor {spread(single['floor_seconds'])} %, "
        f"fresh {spread(single['fresh_seconds'])} %, no-op {noop_noise} %.",
        f"Fresh run against the floor: **{single['fresh_over_floor']}×**, "
        f"{verdict(single['fresh_over_floor'], targets['fresh_over_floor'], noise=fresh_noise)}.",
        f"No-op run: **{single['noop_median']} s**, "
        f"{verdict(single['noop_median'], targets['noop_seconds'], noise=noop_noise)}.",
        f"Changes reported by the no-op runs: {sum(single['noop_changed'])}.",
        "",
        "Slowest tasks of the last no-op run (from the JSON callback):",
        "",
        "| Task | Seconds |",
        "|---|---|",
        *(f"| {task['task']} | {task['seconds']} |" for task in single["slowest_noop_tasks"][:5]),
    ]
    return "\n".join(rows)


def scale_table(results):
    scale = results["scale"]
    rows = ["| Hosts | Floor script, median | Role fresh, median | Role no-op, median |", "|---|---|---|---|"]
    columns = ("floor_median", "fresh_median", "noop_median")
    rows += [
        "| " + " | ".join([count] + [f"{scale[count][key]} s" for key in columns]) + " |"
        for count in sorted(scale, key=int)
    ]
    ratio = results.get("scale_ratio")
    if ratio:
        noise = max(spread(scale[count]["fresh_seconds"]) for count in ("1", str(ratio["hosts"])))
        rows += [
            "",
            f"{ratio['hosts']} hosts against one: role **{ratio['over_one_host']}×**, "
            f"{verdict(ratio['over_one_host'], results['targets']['six_over_one'], noise=noise)}; "
            f"the floor script on as many hosts: {ratio['floor_over_one_host']}×.",
        ]
    return "\n".join(rows)


def throughput_table(results):
    grid = results["grid"]
    threads = sorted({point["threads"] for point in grid})
    rows = [
        measured_at_line(results),
        "",
        "| Processes, threads → | " + " | ".join(map(str, threads)) + " |",
        "|---|" + "---|" * len(threads),
    ]
    for processes in sorted({point["processes"] for point in grid}):
        by_threads = {point["threads"]: point["rps_median"] for point in grid if point["processes"] == processes}
        rows.append(f"| {processes} | " + " | ".join(str(by_threads.get(t, "")) for t in threads) + " |")
    default = results["default"]
    duel = results["default_against_best"]
    best = results["best"]
    targets = results["targets"]
    over_gunicorn = results["default_over_gunicorn"]
    rows += [
        "",
        "Requests per second, median of the repeats; run-to-run spread of the repeats "
        f"((largest - smallest) / median) up to {max(spread(point['rps']) for point in grid)} % across the grid. "
        "References in the same run:",
        "",
        f"| Setup | Requests/s | Spread | p99 latency{p99_note(results)} | wrk socket errors |",
        "|---|---|---|---|---|",
        reference_row("Apache, static file (ceiling)", results["static"]),
        *(reference_row(f"gunicorn, {g['workers']} sync workers, behind mod_proxy", g) for g in results["gunicorn"]),
        reference_row(f"Role defaults ({default['processes']} processes × {default['threads']} threads)", default),
        "",
        f"Best grid point: {best['processes']} × {best['threads']} ({best['rps_median']} requests/s).",
        f"Default against it, alternated: {duel['default_rps_median']} against {duel['best_rps_median']} requests/s, "
        f"**{duel['default_over_best']}**, "
        f"{verdict(duel['default_over_best'], targets['default_over_best'], False, duel_noise(duel))}.",
        f"Default against the best gunicorn setup: **{over_gunicorn}×**, "
        f"{verdict(over_gunicorn, targets['default_over_gunicorn'], False, gunicorn_noise(results))}.",
    ]
    return "\n".join(rows)


def p99_note(results):
    if all("p99_ms_per_repeat" in point for point in [results["static"], results["default"], *results["gunicorn"]]):
        return " (all repeats)"
    return " (last repeat)"


def reference_row(name, point):
    errors = point.get("socket_errors")
    errors_cell = sum(errors.values()) if errors is not None else "not recorded"
    return f"| {name} | {point['rps_median']} | {spread(point['rps'])} % | {point['p99_ms']} ms | {errors_cell} |"


def duel_noise(duel):
    """The spread of the alternated rounds, on either side."""
    if "default_rps" not in duel:
        return 0
    return max(spread(duel["default_rps"]), spread(duel["best_rps"]))


def gunicorn_noise(results):
    best = max(results["gunicorn"], key=lambda point: point["rps_median"])
    return max(spread(results["default"]["rps"]), spread(best["rps"]))


# Results file -> the blocks of BENCHMARKS.md drawn from it.
def releases_table(results):
    targets = results["targets"]

    def row(name, entry):
        return f"| {name} | {entry['median']} s | {', '.join(map(str, entry['seconds']))} |"

    def judged(name, value, target, runs):
        return f"{name}: **{value} s**, {verdict(value, targets[target], noise=max(map(spread, runs)))}."

    noop = max(results["noop"]["median"], results["git_noop"]["median"])
    return "\n".join(
        [
            measured_at_line(results),
            "",
            "| A real application, one host over SSH | Median | Runs (s) |",
            "|---|---|---|",
            row("Code directory, nothing to do", results["noop"]),
            row("Git at a tag, nothing to do", results["git_noop"]),
            row("Code-only change (new release, no pip)", results["code_change"]),
            row("Back to the previous release (`flask_wsgi_release=previous`)", results["rollback"]),
            "",
            f"First deploys, for scale: code directory {results['first_deploy_seconds']} s, "
            f"git {results['git_first_deploy_seconds']} s (both with pip installing the requirements).",
            judged(
                "No-op, the slower source",
                noop,
                "noop_seconds",
                [results["noop"]["seconds"], results["git_noop"]["seconds"]],
            ),
            judged(
                "Code change",
                results["code_change"]["median"],
                "code_change_seconds",
                [results["code_change"]["seconds"]],
            ),
            judged(
                "Rollback on demand",
                results["rollback"]["median"],
                "rollback_seconds",
                [results["rollback"]["seconds"]],
            ),
        ]
    )


TABLES = {
    "deploy": (("deploy", deploy_table), ("scale", scale_table)),
    "releases": (("releases", releases_table),),
    "throughput": (("throughput", throughput_table),),
}


def render_benchmarks_md(text, results_dir=RESULTS_DIR):
    """TEXT with every results block rewritten from the JSON results."""
    for name, tables in TABLES.items():
        source = results_dir / f"{name}.json"
        if not source.exists():
            continue
        results = json.loads(source.read_text())
        for block, table in tables:
            rendered = table(results)
            pattern = re.compile(rf"(<!-- bench:{block} -->\n).*?(\n<!-- /bench:{block} -->)", re.DOTALL)
            text = pattern.sub(lambda match, rendered=rendered: match.group(1) + rendered + match.group(2), text)
    return text


def plot_all(results_dir=RESULTS, docs_dir=DOCS):
    """Draw every plot whose results exist; returns the PNGs written."""
    docs_dir.mkdir(exist_ok=True)
    written = []
    for name, draw in PLOTS.items():
        source = results_dir / f"{name}.json"
        if source.exists():
            target = docs_dir / f"bench-{name}.png"
            draw(json.loads(source.read_text()), target)
            written.append(target)
    return written


def main():
    for target in plot_all():
        log(f"wrote {target.relative_to(PROJECT_DIR)}")
    BENCHMARKS_MD.write_text(render_benchmarks_md(BENCHMARKS_MD.read_text()))
    log(f"updated {BENCHMARKS_MD.relative_to(PROJECT_DIR)}")


if __name__ == "__main__":
    main()
