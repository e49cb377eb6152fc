"""App throughput: wrk inside the container against 127.0.0.1, for a grid of
mod_wsgi processes x threads, next to Apache serving a static file with the
same body (the ceiling) and gunicorn behind Apache's mod_proxy.

    python bench/throughput.py [--processes 1,2,4] [--threads 1,2,4,8,16]

Writes bench/results/throughput.json. Every configuration is deployed by the
role itself (inventory variables passed with -e), so the grid measures what
the role writes.
"""

import argparse
import re
import statistics
import tempfile
from pathlib import Path

from testbed import bench_image, log, playbook, remove_hosts, start_hosts, write_inventory, write_results

TARGETS = {"default_over_best": 0.95, "default_over_gunicorn": 1.0}
BODY = "hello world!"
GUNICORN_PORT = 8000
PROXY_PORT = 8080
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
        """Requests per second (median of the repeats) and the last run's p99 latency."""
        self.host.exec("curl", "-fsS", "-o", "/dev/null", "--retry", "5", "--retry-connrefused", url)
        self.host.exec("wrk", "-t2", "-c8", "-d1s", url, capture_output=True)  # warm-up
        rates, p99 = [], None
        for _ in range(self.repeats):
            out = self.host.exec(
                "wrk", "-t2", f"-c{self.connections}", f"-d{self.seconds}s", "--latency", url, capture_output=True
            ).stdout
            if re.search(r"Non-2xx or 3xx responses", out):
                raise RuntimeError(f"wrk saw errors from {url}:\n{out}")
            rates.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
            p99 = _latency_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
        return {"rps": [round(rate) for rate in rates], "rps_median": round(statistics.median(rates)), "p99_ms": p99}

    def deploy(self, **variables):
        playbook(self.inventory, {"site_serial": "100%", **variables})

    def mod_wsgi(self, processes, threads):
        self.deploy(flask_wsgi_processes=processes, flask_wsgi_threads=threads)
        result = self.wrk("http://127.0.0.1/app")
        log(f"mod_wsgi {processes}x{threads}: {result['rps_median']} req/s")
        return {"processes": processes, "threads": threads, **result}

    def head_to_head(self, first, second, rounds):
        """Alternate two configurations, redeploying each round, so that drift
        in the machine's speed hits both alike; returns the medians."""
        rates = {"first": [], "second": []}
        for _ in range(rounds):
            for key, variables in (("first", first), ("second", second)):
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
            "cp /var/www/flaskapp/flaskapp.wsgi /opt/flaskapp_gunicorn.py && "
            f"systemd-run --unit bench-gunicorn --property WorkingDirectory=/opt "
            f"gunicorn --workers {workers} --bind 127.0.0.1:{GUNICORN_PORT} flaskapp_gunicorn:application",
        )  # fmt: skip
        try:
            result = self.wrk(f"http://127.0.0.1:{PROXY_PORT}/app")
        finally:
            self.host.exec("systemctl", "stop", "bench-gunicorn")
        log(f"gunicorn {workers} workers behind mod_proxy: {result['rps_median']} req/s")
        return {"workers": workers, **result}


def _latency_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)


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
