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
    """Deploy times by kind on one host, each beside its target, and by the
    number of hosts deployed at once."""
    single = results["single_host"]
    targets = results["targets"]
    scale = results.get("scale", {})
    figure, axes = plt.subplots(1, 3, figsize=(14, 4.4), width_ratios=[3, 2, 2])
    kinds = [
        ("floor script\nfresh host", single["floor_median"], "#9e9e9e", None),
        ("role\nfresh host", single["fresh_median"], "#1f77b4", targets["fresh_over_floor"] * single["floor_median"]),
        ("role\ncode change", single.get("change_median"), "#ff7f0e", targets.get("change_seconds")),
        ("role\nnothing to do", single["noop_median"], "#2ca02c", targets["noop_seconds"]),
    ]
    kinds = [kind for kind in kinds if kind[1] is not None]
    bars = axes[0].bar([k[0] for k in kinds], [k[1] for k in kinds], color=[k[2] for k in kinds])
    axes[0].bar_label(bars, fmt="%.1f s")
    for index, (_, _, _, target) in enumerate(kinds):
        if target:
            axes[0].hlines(target, index - 0.4, index + 0.4, colors="black", linestyles="--")
    axes[0].set_ylabel("seconds (median)")
    axes[0].set_title(f"One host over SSH (dashes: targets); fresh = {single['fresh_over_floor']}x floor")

    if scale:
        counts = sorted(scale, key=int)
        hosts = [int(count) for count in counts]
        for key, label, color in (
            ("floor_median", "floor script, fresh", "#9e9e9e"),
            ("fresh_median", "role, fresh", "#1f77b4"),
        ):
            axes[1].plot(hosts, [scale[count][key] for count in counts], marker="o", label=label, color=color)
        axes[1].set_title("Fresh hosts deployed at once")
        noops = [scale[count]["noop_median"] for count in counts]
        axes[2].plot(hosts, noops, marker="o", color="#2ca02c", label="role, nothing to do")
        if "fleet_per_host_seconds" in targets:
            allowed = [noops[0] + targets["fleet_per_host_seconds"] * (n - hosts[0]) for n in hosts]
            axes[2].plot(hosts, allowed, linestyle="--", color="black", label="target: +0.3 s per host")
        axes[2].set_title(f"No-op on many hosts: +{results.get('fleet_per_host_seconds')} s per host")
        for axis in axes[1:]:
            axis.set_xticks(hosts)
            axis.set_xlabel("hosts")
            axis.set_ylabel("seconds (median)")
            axis.set_ylim(bottom=0)
            axis.legend(fontsize="small")
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

    def row(name, key):
        return f"| {name} | {single[key + '_median']} s | {', '.join(map(str, single[key + '_seconds']))} |"

    rows = [
        measured_at_line(results),
        "",
        "| One host over SSH | Median | Runs (s) |",
        "|---|---|---|",
        row("Floor script, fresh host", "floor"),
        row("Role, fresh host", "fresh"),
        row("Role, nothing to do", "noop"),
    ]
    if "ping_seconds" in single:
        rows.append(row("Ansible's floor: a one-ping play, same host", "ping"))
    if "change_seconds" in single:
        rows.append(row("Role, code-only change (the single WSGI script)", "change"))
    rows += [
        "",
        f"Medians of {runs} fresh runs, each on a new host, {len(single['noop_seconds'])} no-op runs"
        + (f" and {len(single['change_seconds'])} code changes." if "change_seconds" in single else "."),
        f"Run-to-run spread ((largest - smallest) / median): floor {spread(single['floor_seconds'])} %, "
        f"fresh {spread(single['fresh_seconds'])} %, no-op {noop_noise} %.",
        f"Fresh run against the floor: **{single['fresh_over_floor']}×**, "
        f"{verdict(single['fresh_over_floor'], targets['fresh_over_floor'], noise=fresh_noise)}.",
        f"No-op run: **{single['noop_median']} s**, "
        f"{verdict(single['noop_median'], targets['noop_seconds'], noise=noop_noise)}.",
    ]
    if "noop_over_ping" in single:
        rows.append(
            f"No-op run above the one-ping play: **{single['noop_over_ping']} s**, "
            f"{verdict(single['noop_over_ping'], targets['noop_over_ping_seconds'])}."
        )
    if "change_seconds" in single:
        rows.append(
            f"Code-only change: **{single['change_median']} s**, "
            f"{verdict(single['change_median'], targets['change_seconds'], noise=spread(single['change_seconds']))}."
        )
    if "noop_tasks" in single:
        rows.append(
            f"Tasks that ran on the host: **{max(single['noop_tasks'])}** in a no-op run "
            f"({verdict(max(single['noop_tasks']), targets['noop_tasks'])}), "
            f"**{max(single['fresh_tasks'])}** on a fresh host "
            f"({verdict(max(single['fresh_tasks']), targets['fresh_tasks'])})."
        )
    rows.append(f"Changes reported by the no-op runs: {sum(single['noop_changed'])}.")
    slowest = single.get("slowest_fresh_run")
    if slowest:
        rows += [
            "",
            f"Slowest tasks of the slowest fresh run ({slowest['seconds']} s; every task is in "
            "`bench/results/deploy.json`, `slowest_fresh_run`):",
            "",
            "| Task | Seconds |",
            "|---|---|",
            *(f"| {task['task']} | {task['seconds']} |" for task in slowest["tasks"][:12]),
        ]
    rows += [
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
    rows = ["| Hosts | Floor script, median | Role fresh, median | Role no-op, median | No-op runs (s) |"]
    rows.append("|---|---|---|---|---|")
    columns = ("floor_median", "fresh_median", "noop_median")
    rows += [
        "| "
        + " | ".join([count] + [f"{scale[count][key]} s" for key in columns])
        + f" | {', '.join(map(str, scale[count]['noop_seconds']))} |"
        for count in sorted(scale, key=int)
    ]
    per_host = results.get("fleet_per_host_seconds")
    if per_host is not None:
        counts = sorted(scale, key=int)
        rows += [
            "",
            f"Each more host adds **{per_host} s** to a no-op run (the slope of the no-op medians over "
            f"{', '.join(counts)} hosts), {verdict(per_host, results['targets']['fleet_per_host_seconds'])}.",
        ]
        cpu = results.get("fleet_per_host_controller_cpu_seconds")
        if cpu is not None:
            rows.append(
                f"The controller's CPU time (ansible-playbook, its forks and their ssh clients) grows by {cpu} s "
                "per host: "
                + ", ".join(f"{scale[count]['noop_controller_cpu_median']} s for {count}" for count in counts)
                + "."
            )
            if "fleet_per_host_controller_cpu_seconds" in results["targets"]:
                target = results["targets"]["fleet_per_host_controller_cpu_seconds"]
                rows[-1] += f" That is {verdict(cpu, target)}."
        ping = results.get("fleet_ping_per_host_seconds")
        if ping is not None:
            rows.append(
                f"Ansible's floor, the one-ping play on the same hosts, grows by {ping} s per host "
                f"({results.get('fleet_ping_per_host_controller_cpu_seconds')} s of controller CPU): "
                + ", ".join(f"{scale[count]['ping_median']} s for {count}" for count in counts)
                + "."
            )
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


def reloads_table(results):
    environment = results["environment"]
    lines = [
        measured_at_line(results),
        "",
        "| Host | Reloads | Requests | Requests/s | Failed (non-2xx, socket errors) | Failed per reload |"
        " Failed in as long without reloads |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in results["platforms"]:
        sockets = sum(entry["socket_errors"].values())
        quiet = entry["without_reloads"]
        lines.append(
            f"| {entry['platform']} | {entry['reloads']} | {entry['requests']} | {entry['rps']} |"
            f" {entry['failed']} ({entry['non_2xx']}, {sockets}) | **{entry['failed_per_reload']}** |"
            f" {quiet['failed']} of {quiet['requests']} |"
        )
    lines += [
        "",
        f"wrk with {environment['connections']} connections inside the container, one graceful reload"
        f" (`apache2ctl graceful`) every {environment['interval']} s.",
    ]
    return "\n".join(lines)


TABLES = {
    "deploy": (("deploy", deploy_table), ("scale", scale_table)),
    "reloads": (("reloads", reloads_table),),
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
