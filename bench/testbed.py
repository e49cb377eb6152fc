"""Hosts for the benchmarks: fresh systemd containers reached over SSH on 127.0.0.1.

Each host comes from scripts/start-ssh-host.sh, as in `make demo`. The bench
image is the test bed's base image with the role's packages already in apt's
download cache, so that both the floor and the role install the same .debs
from disk and the mirror's speed on the day does not decide the result.
"""

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
STATE_DIR = PROJECT_DIR / ".bench"
RESULTS_DIR = PROJECT_DIR / "bench" / "results"
KEY = STATE_DIR / "id_ed25519"
KNOWN_HOSTS = STATE_DIR / "known_hosts"
NAME_PREFIX = "flask-wsgi-bench"
PACKAGES = ["apache2", "libapache2-mod-wsgi-py3", "python3-flask"]


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def run(*args, **kwargs):
    kwargs.setdefault("check", True)
    kwargs.setdefault("text", True)
    return subprocess.run([str(arg) for arg in args], **kwargs)


def output(*args, **kwargs):
    return run(*args, capture_output=True, **kwargs).stdout.strip()


@dataclass
class Host:
    name: str
    port: int

    @property
    def ssh(self):
        return [
            "ssh",
            "-q",
            "-i",
            str(KEY),
            "-p",
            str(self.port),
            "-o",
            f"UserKnownHostsFile={KNOWN_HOSTS}",
            "-o",
            "StrictHostKeyChecking=accept-new",
            "-o",
            "BatchMode=yes",
            "deploy@127.0.0.1",
        ]

    def exec(self, *command, **kwargs):
        """Run a command in the container as root, without SSH."""
        return run("docker", "exec", self.name, *command, **kwargs)


def bench_image(platform):
    """The base image plus the role's packages in apt's cache (built once)."""
    base = f"flask-wsgi-test/{platform}:latest"
    run(PROJECT_DIR / "scripts" / "build-base-image.sh", platform, stdout=subprocess.DEVNULL)
    base_id = output("docker", "image", "inspect", "-f", "{{.Id}}", base)
    tag = f"flask-wsgi-bench/{platform}:latest"
    built_from = run(
        "docker", "image", "inspect", "-f", '{{ index .Config.Labels "flask-wsgi.bench-base" }}', tag,
        capture_output=True, check=False,
    ).stdout.strip()  # fmt: skip
    if built_from == base_id:
        return tag
    log(f"building {tag}: {platform} with {', '.join(PACKAGES)} in apt's cache")
    builder = f"{NAME_PREFIX}-image-{platform}"
    run("docker", "rm", "-f", builder, capture_output=True, check=False)
    script = (
        "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -q -y --download-only "
        + " ".join(PACKAGES)
        + " gunicorn && rm -rf /var/lib/apt/lists/* && touch -d @0 /var/lib/apt/lists"
    )
    run("docker", "run", "--name", builder, base, "sh", "-c", script, stdout=subprocess.DEVNULL)
    run(
        "docker", "commit", "--change", 'CMD ["/sbin/init"]',
        "--change", f"LABEL flask-wsgi.bench-base={base_id}", builder, tag,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    run("docker", "rm", builder, stdout=subprocess.DEVNULL)
    return tag


def start_hosts(count, image, prefix="host"):
    """Start `count` fresh hosts from `image` in parallel; old ones of that name go first."""
    STATE_DIR.mkdir(exist_ok=True)
    if not KEY.exists():
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "flask-wsgi-bench", "-f", KEY)
    names = [f"{NAME_PREFIX}-{prefix}{index}" for index in range(1, count + 1)]
    run("docker", "rm", "-f", *names, capture_output=True, check=False)

    def start(name):
        port = output(PROJECT_DIR / "scripts" / "start-ssh-host.sh", name, image, KEY, KNOWN_HOSTS)
        return Host(name, int(port.splitlines()[-1]))

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, names))


def remove_hosts(hosts):
    if hosts:
        run("docker", "rm", "-f", *[host.name for host in hosts], capture_output=True, check=False)


def write_inventory(hosts, path):
    """A YAML (JSON) inventory putting the hosts in the `web` group."""
    ssh_args = f"-o UserKnownHostsFile={KNOWN_HOSTS} -o StrictHostKeyChecking=accept-new"
    inventory = {
        "web": {
            "hosts": {
                host.name: {
                    "ansible_host": "127.0.0.1",
                    "ansible_port": host.port,
                    "ansible_user": "deploy",
                    "ansible_ssh_private_key_file": str(KEY),
                    "ansible_ssh_common_args": ssh_args,
                }
                for host in hosts
            }
        }
    }
    path.write_text(json.dumps(inventory, indent=2) + "\n")
    return path


def playbook(inventory, extra_vars=None, path=None):
    """Run PATH, by default the project's site.yml; returns its wall time
    and its JSON report."""
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_FORCE_COLOR="0")
    started = time.perf_counter()
    result = run(
        PROJECT_DIR / ".venv" / "bin" / "ansible-playbook", "-i", inventory,
        "-e", json.dumps(extra_vars or {}), path or PROJECT_DIR / "playbooks" / "site.yml",
        cwd=PROJECT_DIR, env=env, capture_output=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"ansible-playbook failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return seconds, json.loads(result.stdout)


def measured_at():
    """The commit the benchmark runs, whether the work tree differs from it,
    and when."""
    commit = output("git", "rev-parse", "HEAD", cwd=PROJECT_DIR)
    dirty = bool(output("git", "status", "--porcelain", "--untracked-files=no", cwd=PROJECT_DIR))
    return {"commit": commit, "dirty": dirty, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def write_results(name, results):
    """Write bench/results/NAME.json, with the commit it was measured at."""
    results = {"measured_at": measured_at(), **results}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    log(f"wrote {path.relative_to(PROJECT_DIR)}")
