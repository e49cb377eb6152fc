"""App throughput: wrk inside the container against 127.0.0.1, for a grid of
mod_wsgi processes x threads, next to Apache serving a static file with the
same body (the ceiling) and gunicorn behind Apache's mod_proxy.

    python bench/throughput.py [--processes 1,2,4] [--threads 1,2,4,8,16]

Writes bench/results/throughput.json. Every configuration is deployed by the
role itself (inventory variables passed with -e), so the grid measures what
the role writes.
"""

import argparse
import base64
import re
import statistics
import tempfile
from pathlib import Path

from testbed import bench_image, log, playbook, remove_hosts, start_hosts, write_inventory, write_results

TARGETS = {"default_over_best": 0.95, "default_over_gunicorn": 1.0}
BODY = "hello world!"
GUNICORN_PORT = 8000
PROXY_PORT = 8080
# wrk's done() hook: the run's counts, socket errors and its latency
# quantiles in microseconds (0.1 % apart), so that the p99 over every repeat
# can be taken from the pooled quantiles of the repeats.
WRK_REPORT = "/tmp/bench-wrk-report.lua"
WRK_REPORT_SCRIPT = """done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("bench-report %d %d %d %d %d %d\\n", summary.requests,
    e.connect, e.read, e.write, e.timeout, e.status))
  local quantiles = {}
  for i = 1, 1000 do quantiles[i] = string.format("%d", latency:percentile(i / 10)) end
  io.write("bench-quantiles " .. table.concat(quantiles, " ") .. "\\n")
end
"""
SOCKET_ERRORS = ("connect", "read", "write", "timeout")
PROXY_SITE = f"""Listen {PROXY_PORT}
<VirtualHost *:{PROXY_PORT}>
    ProxyPass /app http://127.0.0.1:{GUNICORN_PORT}/
    ProxyPassReverse /app http://127.0.0.1:{GUNICORN_PORT}/
</VirtualHost>
"""


class Bench:
    def __init__(self, host, inventory, connections, seconds, repeats):
        self.host = host
        self.inventory = inventory
        self.connections = connections
        self.seconds = seconds
        self.repeats = repeats

    def wrk(self, url):
        """Requests per second of each repeat and their median, the p99
        latency over every request of every repeat, and wrk's socket errors."""
        self.host.exec("curl", "-fsS", "-o", "/dev/null", "--retry", "5", "--retry-connrefused", url)
        script = base64.b64encode(WRK_REPORT_SCRIPT.encode()).decode()
        self.host.exec("sh", "-c", f"echo {script} | base64 -d >{WRK_REPORT}")
        self.host.exec("wrk", "-t2", "-c8", "-d1s", url, capture_output=True)  # warm-up
        rates, runs = [], []
        for _ in range(self.repeats):
            out = self.host.exec(
                "wrk", "-t2", f"-c{self.connections}", f"-d{self.seconds}s", "-s", WRK_REPORT, url,
                capture_output=True,
            ).stdout  # fmt: skip
            run_report = parse_wrk_report(out)
            if run_report["status_errors"]:
                raise RuntimeError(f"wrk saw non-2xx or 3xx answers from {url}:\n{out}")
            rates.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
            runs.append(run_report)
        return {
            "rps": [round(rate) for rate in rates],
            "rps_median": round(statistics.median(rates)),
            "p99_ms": pooled_percentile(runs, 99),
            "p99_ms_per_repeat": [round(run["quantiles"][989] / 1000, 2) for run in runs],
            "socket_errors": {kind: sum(run["socket_errors"][kind] for run in runs) for kind in SOCKET_ERRORS},
        }

    def deploy(self, **variables):
        playbook(self.inventory, {"site_serial": "100%", **variables})

    def mod_wsgi(self, processes, threads):
        self.deploy(flask_wsgi_processes=processes, flask_wsgi_threads=threads)
        result = self.wrk("http://127.0.0.1/app")
        log(f"mod_wsgi {processes}x{threads}: {result['rps_median']} req/s")
        return {"processes": processes, "threads": threads, **result}

    def head_to_head(self, first, second, rounds):
        """Alternate two configurations, redeploying each round and changing
        which goes first every round, so that drift in the machine's speed
        and being measured first or second hit both alike; returns the
        medians."""
        rates = {"first": [], "second": []}
        order = [("first", first), ("second", second)]
        for round_index in range(rounds):
            for key, variables in order if round_index % 2 == 0 else order[::-1]:
                self.deploy(**variables)
                rates[key].append(self.wrk("http://127.0.0.1/app")["rps_median"])
        return {key: round(statistics.median(values)) for key, values in rates.items()}, rates

    def static(self):
        # The vhost's document root is empty by design; this container is only for the benchmark.
        self.host.exec("sh", "-c", f"printf '{BODY}' >/var/www/flaskapp-public/static.txt")
        result = self.wrk("http://127.0.0.1/static.txt")
        self.host.exec("rm", "/var/www/flaskapp-public/static.txt")
        log(f"static file: {result['rps_median']} req/s")
        return result

    def gunicorn(self, workers):
        self.host.exec(
            "sh", "-c",
            "cp /var/www/flaskapp/current/flaskapp.wsgi /opt/flaskapp_gunicorn.py && "
            f"systemd-run --unit bench-gunicorn --property WorkingDirectory=/opt "
            f"gunicorn --workers {workers} --bind 127.0.0.1:{GUNICORN_PORT} flaskapp_gunicorn:application",
        )  # fmt: skip
        try:
            result = self.wrk(f"http://127.0.0.1:{PROXY_PORT}/app")
        finally:
            self.host.exec("systemctl", "stop", "bench-gunicorn")
        log(f"gunicorn {workers} workers behind mod_proxy: {result['rps_median']} req/s")
        return {"workers": workers, **result}


def parse_wrk_report(out):
    """The request count, socket and status errors and latency quantiles
    (microseconds, 0.1 % to 100 %) that WRK_REPORT_SCRIPT printed."""
    counts = re.search(r"^bench-report ([\d ]+)$", out, re.MULTILINE).group(1).split()
    requests, connect, read, write, timeout, status = (int(count) for count in counts)
    quantiles = [int(value) for value in re.search(r"^bench-quantiles ([\d ]+)$", out, re.MULTILINE).group(1).split()]
    if len(quantiles) != 1000:
        raise RuntimeError(f"wrk printed {len(quantiles)} quantiles, not 1000:\n{out}")
    errors = {"connect": connect, "read": read, "write": write, "timeout": timeout}
    return {"requests": requests, "socket_errors": errors, "status_errors": status, "quantiles": quantiles}


def pooled_percentile(runs, percent):
    """PERCENT's percentile, in milliseconds, of every request of RUNS
    together: each run's quantiles stand for its requests in equal shares."""
    weighted = sorted((value, run["requests"] / len(run["quantiles"])) for run in runs for value in run["quantiles"])
    total = sum(weight for _, weight in weighted)
    seen = 0.0
    for value, weight in weighted:
        seen += weight
        # A little slack: the weights are floats, and the boundary falls
        # exactly on a quantile.
        if seen >= total * percent / 100 * (1 - 1e-9):
            return round(value / 1000, 2)
    return round(weighted[-1][0] / 1000, 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--threads", default="1,2,4,8,16")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the default against the best point")
    parser.add_argument("--platform", default="debian12")
    args = parser.parse_args()

    image = bench_image(args.platform)
    hosts = start_hosts(1, image, prefix="throughput")
    host = hosts[0]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            inventory = write_inventory(hosts, Path(tmp) / "inventory.json")
            bench = Bench(host, inventory, args.connections, args.seconds, args.repeats)
            bench.deploy()
            host.exec("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -q -y wrk gunicorn >/dev/null")
            cpus = int(host.exec("nproc", capture_output=True).stdout)

            grid = [
                bench.mod_wsgi(int(processes), int(threads))
                for processes in args.processes.split(",")
                for threads in args.threads.split(",")
            ]
            bench.deploy()
            wsgi_conf = host.exec("cat", "/etc/apache2/sites-available/wsgi.conf", capture_output=True).stdout
            processes, threads = (int(x) for x in re.search(r"processes=(\d+) threads=(\d+)", wsgi_conf).groups())
            default = {"processes": processes, "threads": threads, **bench.wrk("http://127.0.0.1/app")}
            log(f"role defaults {processes}x{threads}: {default['rps_median']} req/s")
            best = max(grid, key=lambda point: point["rps_median"])
            best_variables = {"flask_wsgi_processes": best["processes"], "flask_wsgi_threads": best["threads"]}
            if (best["processes"], best["threads"]) == (processes, threads):
                duel = {"default_rps_median": default["rps_median"], "best_rps_median": default["rps_median"]}
            else:
                medians, rates = bench.head_to_head({}, best_variables, args.rounds)
                duel = {"default_rps_median": medians["first"], "best_rps_median": medians["second"],
                        "default_rps": rates["first"], "best_rps": rates["second"]}  # fmt: skip
            duel["default_over_best"] = round(duel["default_rps_median"] / duel["best_rps_median"], 3)
            log(f"default against {best['processes']}x{best['threads']}, alternated: {duel['default_over_best']}")
            static = bench.static()

            proxy_site = "/etc/apache2/sites-enabled/bench-proxy.conf"
            host.exec("sh", "-c", f"a2enmod -q proxy_http && printf '{PROXY_SITE}' >{proxy_site}")
            host.exec("systemctl", "restart", "apache2")
            gunicorn = [bench.gunicorn(workers) for workers in sorted({cpus, 2 * cpus + 1})]
    finally:
        remove_hosts(hosts)

    best_gunicorn = max(gunicorn, key=lambda point: point["rps_median"])
    results = {
        "environment": {"platform": args.platform, "cpus": cpus, "connections": args.connections,
                        "seconds": args.seconds, "repeats": args.repeats},
        "targets": TARGETS,
        "grid": grid,
        "default": default,
        "static": static,
        "gunicorn": gunicorn,
        "best": {"processes": best["processes"], "threads": best["threads"], "rps_median": best["rps_median"]},
        "default_against_best": duel,
        "default_over_gunicorn": round(default["rps_median"] / best_gunicorn["rps_median"], 3),
        "default_over_static": round(default["rps_median"] / static["rps_median"], 3),
    }  # fmt: skip
    write_results("throughput", results)


if __name__ == "__main__":
    main()
