"""Daily deploys of a real application: a package with a requirements file,
from a code directory and from git pinned to a tag, over SSH on one host.

    python bench/releases.py [--runs 5] [--platform debian12]

Measures, after a first deploy: the no-op rerun of each source, a code-only
change (a new release, no pip run), and going back to the previous release
on demand (-e flask_wsgi_release=previous). Writes bench/results/releases.json.
"""

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from testbed import (
    PROJECT_DIR,
    bench_image,
    log,
    playbook,
    remove_hosts,
    run,
    start_hosts,
    write_inventory,
    write_results,
)

# The test bed's echo application: a package, an entry point, a requirements file.
SOURCE = PROJECT_DIR / "molecule" / "apps" / "files" / "echo"
TARGETS = {"noop_seconds": 3.0, "code_change_seconds": 5.0, "rollback_seconds": 5.0}
APP = {
    "flask_wsgi_entry_point": "echo_app:app",
    "flask_wsgi_requirements_file": "requirements.txt",
    "flask_wsgi_mount_path": "/echo",
    # The container reaches PyPI through the host's CA bundle.
    "flask_wsgi_pip_ca_bundle": "/etc/ssl/certs/ca-certificates.crt",
}
GIT_APP = APP | {
    "flask_wsgi_app_git_repo": "file:///srv/git/echo.git",
    "flask_wsgi_app_git_version": "v1",
    "flask_wsgi_site_name": "echo-git",
    "flask_wsgi_app_dir": "/srv/echo-git",
    "flask_wsgi_port": 8081,
    "flask_wsgi_user": "gitapp",
    "flask_wsgi_group": "gitapp",
    "flask_wsgi_process_group": "echogit",
}
PUBLISH = """set -e
apt-get install -q -y git >/dev/null
rm -rf /srv/echo-src /srv/git && mkdir -p /srv/git && cp -r /tmp/echo /srv/echo-src && cd /srv/echo-src
git init -q .
git add -A && git -c user.email=b@example.invalid -c user.name=bench commit -qm v1 && git tag v1
git clone -q --bare . /srv/git/echo.git
"""


def timed(inventory, extra_vars, expect_changed):
    seconds, report = playbook(inventory, {"site_serial": "100%", **extra_vars})
    changed = sum(stats["changed"] for stats in report["stats"].values())
    if (changed > 0) != expect_changed:
        raise RuntimeError(f"expected {'a change' if expect_changed else 'no change'}, got {changed} changed")
    return round(seconds, 2)


def summary(values):
    return {"seconds": values, "median": round(statistics.median(values), 2)}


def measure(image, runs):
    hosts = start_hosts(1, image, prefix="releases")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            inventory = write_inventory(hosts, Path(tmp) / "inventory.json")
            source = Path(tmp) / "echo"
            shutil.copytree(SOURCE, source)
            app = APP | {"flask_wsgi_app_src": str(source)}
            first = timed(inventory, app, True)
            log(f"first deploy of the code directory: {first:.1f} s")
            noop = [timed(inventory, app, False) for _ in range(runs)]
            log(f"no-op, code directory: {noop}")
            code_change = []
            for run_index in range(runs):
                (source / "echo_app" / "bench.py").write_text(f"RUN = {run_index}\n")
                code_change.append(timed(inventory, app, True))
            log(f"code change: {code_change}")
            rollback = [timed(inventory, app | {"flask_wsgi_release": "previous"}, True) for _ in range(runs)]
            log(f"rollback to the previous release: {rollback}")

            # The same application, published in a git repository on the host.
            hosts[0].exec("rm", "-rf", "/tmp/echo", capture_output=True)
            run("docker", "cp", str(SOURCE), f"{hosts[0].name}:/tmp/echo", capture_output=True)
            hosts[0].exec("bash", "-c", PUBLISH, capture_output=True)
            git_first = timed(inventory, GIT_APP, True)
            git_noop = [timed(inventory, GIT_APP, False) for _ in range(runs)]
            log(f"git at a tag: first {git_first:.1f} s, no-op {git_noop}")
    finally:
        remove_hosts(hosts)
    return {
        "first_deploy_seconds": first,
        "noop": summary(noop),
        "code_change": summary(code_change),
        "rollback": summary(rollback),
        "git_first_deploy_seconds": git_first,
        "git_noop": summary(git_noop),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default="debian12")
    args = parser.parse_args()
    results = {"platform": args.platform, "targets": TARGETS, **measure(bench_image(args.platform), args.runs)}
    write_results("releases", results)


if __name__ == "__main__":
    main()
