# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Debian packages installed with apt-get itself.

ansible.builtin.apt first installs python3-apt for its own use when a host
lacks it (a fresh Debian host does): one more apt-get run, about two
seconds, on the slowest step of a fresh deploy. What the roles need of apt
is small: which of a few packages are missing (dpkg-query), whether the
package index is older than a given age, and one `apt-get install`. Those
decisions are here, as plain functions of plain data; the module
apt_packages runs the commands.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

# Where apt keeps the package index, and the stamp apt's periodic update
# (Ubuntu's update-notifier-common) touches after a successful refresh.
LISTS_DIR = "/var/lib/apt/lists"
UPDATE_STAMP = "/var/lib/apt/periodic/update-success-stamp"
STATUS_FORMAT = "${Package}\\t${db:Status-Abbrev}\\n"
# As ansible.builtin.apt does: no question asked, and a configuration file
# changed by hand is kept rather than replaced by the package's.
ENVIRONMENT = {"DEBIAN_FRONTEND": "noninteractive", "DEBIAN_PRIORITY": "critical", "LC_ALL": "C"}
OPTIONS = ["-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"]


def status_command(names: Sequence[str]) -> list[str]:
    return ["dpkg-query", "--show", f"--showformat={STATUS_FORMAT}", *names]


def missing(names: Sequence[str], status_output: str) -> list[str]:
    """The NAMES that dpkg-query's STATUS_OUTPUT does not show as installed
    ("ii": wanted and installed), in the order given. dpkg-query leaves out
    a package it has never heard of, so a name missing from the output is
    missing from the host."""
    installed: set[str] = set()
    for line in status_output.splitlines():
        name, _tab, status = line.partition("\t")
        if status.strip() == "ii":
            installed.add(name.split(":")[0])
    return [name for name in names if name not in installed]


def index_age(now: float, lists_mtime: float, stamp_mtime: float | None, has_lists: bool) -> float | None:
    """Seconds since the package index was last refreshed, or None when
    there is no index at all (a fresh container, or lists removed)."""
    if not has_lists:
        return None
    return now - max(lists_mtime, stamp_mtime or 0)


def index_stale(age: float | None, valid_seconds: float) -> bool:
    """Whether the index must be refreshed before installing."""
    return age is None or age > valid_seconds


def read_index(now: float) -> float | None:
    """index_age() of this host's package index."""
    try:
        entries = os.listdir(LISTS_DIR)
        lists_mtime = os.stat(LISTS_DIR).st_mtime
    except OSError:
        return None
    try:
        stamp_mtime: float | None = os.stat(UPDATE_STAMP).st_mtime
    except OSError:
        stamp_mtime = None
    has_lists = any(entry.endswith("_Packages") or entry.endswith("_Packages.lz4") for entry in entries)
    return index_age(now, lists_mtime, stamp_mtime, has_lists)


def update_command(lock_timeout: int) -> list[str]:
    return ["apt-get", "update", "-q", "-o", f"DPkg::Lock::Timeout={lock_timeout}"]


def install_command(names: Sequence[str], lock_timeout: int, simulate: bool = False) -> list[str]:
    """apt-get install of NAMES. It waits up to LOCK_TIMEOUT seconds for
    another apt or dpkg (unattended-upgrades on a fresh Ubuntu host) instead
    of failing at once."""
    command = ["apt-get", "install", "-q", "-y", "-o", f"DPkg::Lock::Timeout={lock_timeout}", *OPTIONS]
    if simulate:
        command.append("--simulate")
    return [*command, "--", *names]


def failure_text(step: str, names: Sequence[str], rc: int, stderr: str | None, stdout: str | None) -> str:
    """One sentence for a failed apt-get run: the step, the packages, and
    apt's own last error lines (E: ...), else the end of its output."""
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("E:")]
    if not lines:
        lines = [line.strip() for line in (stdout or "").splitlines() if line.strip()]
    detail = " ".join(errors[-3:] or lines[-3:]) or f"exit status {rc}"
    return f"apt-get {step} of {', '.join(names)} failed (rc={rc}): {detail}"
