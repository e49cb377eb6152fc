"""What a graceful reload of Apache costs one host under load, with no load
balancer in front: wrk inside the container against 127.0.0.1 while Apache
is reloaded the way logrotate and certbot's renewal hook do it.

    python bench/reloads.py [--platforms debian12,debian13] [--reloads 20]

Writes bench/results/reloads.json: for each platform, the requests, the
failed ones (non-2xx answers and socket errors) and the failures per reload.
mod_wsgi recreates its daemons' socket at each reload; behind HAProxy,
haproxy_lb_retry_on sends such a request again to another server (the
cluster scenario proves that no client sees it).
"""

import argparse
import base64
import subprocess
import tempfile
import time
from pathlib import Path

from throughput import SOCKET_ERRORS, WRK_REPORT, WRK_REPORT_SCRIPT, parse_wrk_report

from testbed import bench_image, log, playbook, remove_hosts, start_hosts, write_inventory, write_results

URL = "http://127.0.0.1/app"


def measure(host, connections, reloads, interval):
    """Run wrk for the time RELOADS reloads INTERVAL seconds apart take
    (with INTERVAL before the first and after the last); returns wrk's
    counts."""
    seconds = round(interval * (reloads + 1))
    wrk = subprocess.Popen(
        ["docker", "exec", host.name, "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", WRK_REPORT, URL],
        stdout=subprocess.PIPE,
        text=True,
    )
    started = time.monotonic()
    for number in range(1, reloads + 1):
        time.sleep(max(0.0, started + number * interval - time.monotonic()))
        host.exec("apache2ctl", "graceful", capture_output=True)
    out, _ = wrk.communicate()
    if wrk.returncode:
        raise RuntimeError(f"wrk failed:\n{out}")
    return parse_wrk_report(out), seconds


def platform_result(platform, connections, reloads, interval):
    hosts = start_hosts(1, bench_image(platform), prefix=f"reloads-{platform}")
    host = hosts[0]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            playbook(write_inventory(hosts, Path(tmp) / "inventory.json"), {"site_serial": "100%"})
        host.exec("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -q -y wrk >/dev/null")
        script = base64.b64encode(WRK_REPORT_SCRIPT.encode()).decode()
        host.exec("sh", "-c", f"echo {script} | base64 -d >{WRK_REPORT}")
        quiet, quiet_seconds = measure(host, connections, 0, interval * (reloads + 1))
        report, seconds = measure(host, connections, reloads, interval)
    finally:
        remove_hosts(hosts)
    failed = report["status_errors"] + sum(report["socket_errors"][kind] for kind in SOCKET_ERRORS)
    quiet_failed = quiet["status_errors"] + sum(quiet["socket_errors"][kind] for kind in SOCKET_ERRORS)
    result = {
        "platform": platform,
        "reloads": reloads,
        "seconds": seconds,
        "requests": report["requests"],
        "rps": round(report["requests"] / seconds),
        "non_2xx": report["status_errors"],
        "socket_errors": report["socket_errors"],
        "failed": failed,
        "failed_per_reload": round(failed / reloads, 2),
        "without_reloads": {"requests": quiet["requests"], "seconds": quiet_seconds, "failed": quiet_failed},
    }
    log(f"{platform}: {failed} of {report['requests']} requests failed over {reloads} reloads")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platforms", default="debian12,debian13")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--reloads", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.5, help="seconds between reloads")
    args = parser.parse_args()
    results = {
        "environment": {"connections": args.connections, "interval": args.interval},
        "platforms": [
            platform_result(platform, args.connections, args.reloads, args.interval)
            for platform in args.platforms.split(",")
        ],
    }
    write_results("reloads", results)


if __name__ == "__main__":
    main()
