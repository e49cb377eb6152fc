"""Deploy speed: the playbook over SSH against the floor script; fresh, code
change and no-op on one host; fresh and no-op on 1 to N hosts at once.

    python bench/deploy.py [--runs 3] [--scale 1,5,10] [--platform debian12]

Writes bench/results/deploy.json, with the per-task profile of the slowest
fresh run. Every fresh measurement uses new containers.
"""

import argparse
import base64
import os
import resource
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from testbed import (
    PROJECT_DIR,
    bench_image,
    log,
    output,
    playbook,
    remove_hosts,
    run,
    start_hosts,
    write_inventory,
    write_results,
)

TARGETS = {
    "fresh_over_floor": 1.3,
    "noop_seconds": 3.0,
    "noop_over_ping_seconds": 0.35,
    "change_seconds": 3.0,
    "fleet_per_host_seconds": 0.3,
    "fleet_per_host_controller_cpu_seconds": 0.25,
    # Tasks that run on the host (not skipped, not an include).
    "noop_tasks": 3,
    "fresh_tasks": 15,
}
INCLUDES = {"ansible.builtin.include_role", "ansible.builtin.include_tasks", "include_role", "include_tasks"}
SCRIPT = PROJECT_DIR / "files" / "flaskapp.wsgi"
# Ansible's own floor: a one-task ping play on the same hosts.
PING = PROJECT_DIR / "bench" / "ping.yml"


def time_ping(inventory, cpu=None):
    """Wall time of the one-ping play; its controller CPU appended to CPU."""
    before = controller_cpu()
    seconds, _ = playbook(inventory, path=PING)
    if cpu is not None:
        cpu.append(controller_cpu() - before)
    return seconds


def time_floor(host):
    app = base64.b64encode((PROJECT_DIR / "files" / "flaskapp.wsgi").read_bytes()).decode()
    script = f"APP_B64={app}\n" + (PROJECT_DIR / "bench" / "floor.sh").read_text()
    started = time.perf_counter()
    run(*host.ssh, "sudo", "bash", "-s", input=script, capture_output=True)
    return time.perf_counter() - started


def controller_cpu():
    """CPU seconds used so far by this process's ended children: the
    controller's side of a playbook run (ansible-playbook, its forks and
    their ssh clients), not the hosts'."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_playbook(inventory, extra_vars=None, cpu=None):
    """Wall time of one ansible-playbook run, its recap and its tasks'
    times; the controller's CPU seconds are appended to CPU when given."""
    before = controller_cpu()
    seconds, report = playbook(inventory, {"site_serial": "100%", **(extra_vars or {})})
    if cpu is not None:
        cpu.append(controller_cpu() - before)
    changed = sum(stats["changed"] for stats in report["stats"].values())
    tasks = [
        (task["task"]["name"], task_seconds(task), ran(task))
        for play in report["plays"]
        for task in play["tasks"]
        if task["hosts"]
    ]
    return seconds, changed, tasks


def ran(task):
    """Whether TASK ran on a host: not skipped everywhere, and not an include."""
    return any(not result.get("skipped") and result.get("action") not in INCLUDES for result in task["hosts"].values())


def tasks_run(tasks):
    return sum(1 for task in tasks if task[2])


def task_seconds(task):
    duration = task["task"].get("duration")
    if not duration:
        return 0.0
    start, end = (datetime.fromisoformat(duration[key].replace("Z", "+00:00")) for key in ("start", "end"))
    return round((end - start).total_seconds(), 3)


def changed_script(directory, name):
    """The default WSGI script with a new comment: a code-only change."""
    path = Path(directory) / f"flaskapp-{name}.wsgi"
    path.write_text(SCRIPT.read_text() + f"\n# bench: code change {name}\n")
    return {"flask_wsgi_script_src": str(path)}


def profile(tasks):
    """A run's tasks, slowest first, as the results keep them."""
    ranked = sorted(tasks, key=lambda item: item[1], reverse=True)
    return [{"task": name, "seconds": seconds} for name, seconds, _ran in ranked if seconds > 0]


def seconds_list(values):
    return ", ".join(f"{value:.1f}" for value in values) + " s"


def median(values):
    return round(statistics.median(values), 2)


def measure_single_host(image, runs, noop_runs, change_runs):
    floors, fresh, noops, changes, pings = [], [], [], [], []
    fresh_changed, noop_changed, change_changed = [], [], []
    fresh_tasks, noop_tasks = [], []
    slowest_noop, fresh_profiles = [], []
    with tempfile.TemporaryDirectory() as tmp:

        def floor_run(index):
            hosts = start_hosts(1, image, prefix="floor")
            try:
                floors.append(time_floor(hosts[0]))
            finally:
                remove_hosts(hosts)
            log(f"floor run {index + 1}: {floors[-1]:.1f} s")

        def role_run(index):
            nonlocal slowest_noop
            hosts = start_hosts(1, image, prefix="role")
            try:
                inventory = write_inventory(hosts, Path(tmp) / "inventory.json")
                seconds, changed, tasks = time_playbook(inventory)
                fresh.append(seconds)
                fresh_changed.append(changed)
                fresh_tasks.append(tasks_run(tasks))
                fresh_profiles.append((seconds, tasks))
                log(f"fresh run {index + 1}: {seconds:.1f} s, {changed} changed")
                for _ in range(noop_runs):
                    seconds, changed, tasks = time_playbook(inventory)
                    noops.append(seconds)
                    noop_changed.append(changed)
                    noop_tasks.append(tasks_run(tasks))
                    slowest_noop = tasks
                log(f"no-op runs: {seconds_list(noops[-noop_runs:])}")
                # Ansible's floor on the same host, as many times.
                pings.extend(time_ping(inventory) for _ in range(noop_runs))
                log(f"ping runs: {seconds_list(pings[-noop_runs:])}")
                # Last: each run deploys a script the host has not seen.
                for change in range(change_runs):
                    seconds, changed, _ = time_playbook(inventory, changed_script(tmp, f"{index}-{change}"))
                    changes.append(seconds)
                    change_changed.append(changed)
                log(f"code change runs: {seconds_list(changes[-change_runs:])}")
            finally:
                remove_hosts(hosts)

        # The floor and the role take turns at going first, so that drift in
        # the machine's speed does not always favour the same side.
        for index in range(runs):
            for measure in (floor_run, role_run) if index % 2 == 0 else (role_run, floor_run):
                measure(index)
    slowest_fresh_seconds, slowest_fresh_tasks = max(fresh_profiles, key=lambda item: item[0])
    return {
        "floor_seconds": [round(s, 2) for s in floors],
        "fresh_seconds": [round(s, 2) for s in fresh],
        "noop_seconds": [round(s, 2) for s in noops],
        "change_seconds": [round(s, 2) for s in changes],
        "ping_seconds": [round(s, 2) for s in pings],
        "fresh_changed": fresh_changed,
        "noop_changed": noop_changed,
        "change_changed": change_changed,
        "fresh_tasks": fresh_tasks,
        "noop_tasks": noop_tasks,
        "floor_median": median(floors),
        "fresh_median": median(fresh),
        "noop_median": median(noops),
        "change_median": median(changes),
        "ping_median": median(pings),
        "noop_over_ping": round(median(noops) - median(pings), 2),
        "fresh_over_floor": round(median(fresh) / median(floors), 2),
        "slowest_noop_tasks": profile(slowest_noop)[:10],
        "slowest_fresh_run": {"seconds": round(slowest_fresh_seconds, 2), "tasks": profile(slowest_fresh_tasks)},
    }


def time_floor_at_once(hosts):
    """Wall time of the floor script run on every host at the same time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(hosts)) as pool:
        list(pool.map(time_floor, hosts))
    return time.perf_counter() - started


def measure_scale(image, counts, runs, noop_runs):
    """Fresh and no-op runs on 1 to N hosts at once, next to the floor script
    on as many hosts at once: on a test bed where the hosts share the
    controller's CPUs, the floor shows what the hardware allows. The no-op
    runs show what each host adds to the controller's work."""
    scale = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            floors, fresh, noops, noops_cpu, pings, pings_cpu = [], [], [], [], [], []
            for _ in range(runs):
                hosts = start_hosts(count, image, prefix="scale-floor")
                try:
                    floors.append(time_floor_at_once(hosts))
                finally:
                    remove_hosts(hosts)
                hosts = start_hosts(count, image, prefix="scale")
                try:
                    inventory = write_inventory(hosts, Path(tmp) / "inventory.json")
                    fresh.append(time_playbook(inventory)[0])
                    noops += [time_playbook(inventory, cpu=noops_cpu)[0] for _ in range(noop_runs)]
                    pings += [time_ping(inventory, cpu=pings_cpu) for _ in range(noop_runs)]
                finally:
                    remove_hosts(hosts)
            log(
                f"{count} hosts: floor {seconds_list(floors)}, fresh {seconds_list(fresh)}, no-op {seconds_list(noops)}"
            )
            scale[str(count)] = {
                "floor_seconds": [round(s, 2) for s in floors],
                "floor_median": median(floors),
                "fresh_seconds": [round(s, 2) for s in fresh],
                "noop_seconds": [round(s, 2) for s in noops],
                "fresh_median": median(fresh),
                "noop_median": median(noops),
                "noop_controller_cpu_seconds": [round(s, 2) for s in noops_cpu],
                "noop_controller_cpu_median": median(noops_cpu),
                "ping_seconds": [round(s, 2) for s in pings],
                "ping_median": median(pings),
                "ping_controller_cpu_median": median(pings_cpu),
            }
    return scale


def per_host(scale, key="noop_median"):
    """Seconds each more host adds to a no-op run: the least-squares slope
    of the no-op medians (KEY) over the host counts."""
    points = [(int(count), entry[key]) for count, entry in scale.items()]
    if len(points) < 2:
        return None
    return round(statistics.linear_regression(*zip(*points, strict=True)).slope, 3)


def environment(platform):
    version = output(PROJECT_DIR / ".venv" / "bin" / "ansible", "--version").splitlines()[0]
    return {"platform": platform, "controller_cpus": os.cpu_count(), "ansible": version}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--noop-runs", type=int, default=3)
    parser.add_argument("--change-runs", type=int, default=3)
    parser.add_argument("--scale", default="1,5,10")
    parser.add_argument("--scale-runs", type=int, default=1)
    parser.add_argument("--platform", default="debian12")
    args = parser.parse_args()

    image = bench_image(args.platform)
    single = measure_single_host(image, args.runs, args.noop_runs, args.change_runs)
    counts = [int(count) for count in args.scale.split(",") if count]
    scale = measure_scale(image, counts, args.scale_runs, args.noop_runs) if counts else {}
    results = {
        "environment": environment(args.platform),
        "targets": TARGETS,
        "single_host": single,
        "scale": scale,
        "fleet_per_host_seconds": per_host(scale),
        "fleet_per_host_controller_cpu_seconds": per_host(scale, "noop_controller_cpu_median"),
        "fleet_ping_per_host_seconds": per_host(scale, "ping_median"),
        "fleet_ping_per_host_controller_cpu_seconds": per_host(scale, "ping_controller_cpu_median"),
    }
    write_results("deploy", results)


if __name__ == "__main__":
    main()
