# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Whether every mod_wsgi daemon process of a group has loaded the
application.

One request reaches one daemon process, so a health check by request alone
passes while a sibling process failed to import the code. The role preloads
the WSGI script in each daemon process (WSGIImportScript) and, after it, a
small recorder that writes, per process, whether the script's module is
loaded and the script's modification time it was loaded at, and whether the
application's environment was loaded before it. This module
lists the group's processes (their display name, as mod_wsgi sets it, and
their owner) and reads each one's record. Plain Python with no Ansible
import, shared by the modules and unit-tested on a fake /proc.
"""

from __future__ import annotations

import json
import os
import pwd
import signal
from collections.abc import Callable, Sequence
from typing import Any

# A process's record, as the start script writes it; the verdict on a group.
Record = dict[str, Any]
Verdict = dict[str, Any]
# os.kill, or a fake of it in the tests.
Send = Callable[[int, int], None]

MAX_AUTO_PROCESSES = 256
# The modules' options that name a daemon group (its display-name, the
# account its processes run as, its WSGI script).
GROUP_OPTIONS: dict[str, dict[str, Any]] = {
    "display_name": {"type": "str", "required": True},
    "user": {"type": "str", "required": True},
    "script": {"type": "path", "required": True},
}


def daemon_processes(setting: str, cpus: int) -> int | None:
    """The number of daemon processes: one per vCPU for "auto"; None for
    "any" (after a rollback, the restored configuration's count)."""
    if setting == "any":
        return None
    if setting == "auto":
        return min(int(cpus), MAX_AUTO_PROCESSES)
    return int(setting)


def group_processes(display_name: str, uid: int, proc: str = "/proc") -> list[int]:
    """The PIDs of the daemon processes named DISPLAY_NAME that run as UID.
    mod_wsgi writes the display name over the process's first argument and
    pads it with spaces."""
    pids: list[int] = []
    for entry in os.listdir(proc):
        if not entry.isdigit():
            continue
        try:
            with open(os.path.join(proc, entry, "cmdline"), "rb") as handle:
                first = handle.read().split(b"\0")[0]
            owner = os.stat(os.path.join(proc, entry)).st_uid
        except OSError:
            continue
        if owner == uid and first.decode("utf-8", "replace").rstrip() == display_name:
            pids.append(int(entry))
    return sorted(pids)


def process_start(pid: int, proc: str = "/proc") -> str:
    """When PID started, in clock ticks since boot (field 22 of its stat),
    or "" when it is gone: with the PID, it names one process."""
    try:
        with open(os.path.join(proc, str(pid), "stat"), encoding="utf-8") as handle:
            # The command name, in parentheses, may hold spaces.
            return handle.read().rpartition(")")[2].split()[19]
    except (OSError, IndexError):
        return ""


def read_record(records: str, pid: int) -> Record | None:
    try:
        with open(os.path.join(records, str(pid)), encoding="utf-8") as handle:
            record = json.load(handle)
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def process_state(record: Record | None, start: str, script: str, script_mtime: int | None) -> str:
    """What one process's record says of SCRIPT: "loaded" (as it is now),
    "failed" (its import failed), "stale" (loaded before the script last
    changed), "environment" (the application's environment could not be
    loaded) or "starting" (no record of this process yet). The record has
    the process's start, for each WSGI script it loaded, that script's
    modification time (ns) at the time, and why the environment did not
    load ("" when it did)."""
    if not record or record.get("start") != start:
        return "starting"
    if record.get("environment"):
        # The start script could not load the application's environment.
        return "environment"
    loaded = record.get("scripts") or {}
    if script not in loaded:
        # Another script loaded: another release's, through the same link.
        return "stale" if loaded else "failed"
    if loaded[script] != script_mtime:
        return "stale"
    return "loaded"


def group_verdict(
    display_name: str, uid: int, expected: int | None, records: str, script: str, proc: str = "/proc"
) -> Verdict:
    """Whether the EXPECTED daemon processes of the group (None: at least
    one) all run and all loaded SCRIPT as it is now, from their records in
    RECORDS."""
    # The records name the script by the file it is, not the link to it.
    script = os.path.realpath(script)
    try:
        script_mtime: int | None = os.stat(script).st_mtime_ns
    except OSError:
        script_mtime = None
    processes: list[dict[str, Any]] = []
    errors: set[str] = set()
    for pid in group_processes(display_name, uid, proc):
        record = read_record(records, pid)
        state = process_state(record, process_start(pid, proc), script, script_mtime)
        processes.append({"pid": pid, "state": state})
        if record and state == "environment":
            errors.add(record["environment"])
    states = [process["state"] for process in processes]
    counted = len(processes) == expected if expected is not None else bool(processes)
    healthy = counted and set(states) <= {"loaded"}
    return {
        "expected": expected,
        "processes": processes,
        "healthy": healthy,
        "summary": summary(expected, states, sorted(errors)),
    }


# How the summary names each state.
STATE_WORDS = {
    "loaded": "loaded",
    "failed": "failed",
    "stale": "stale",
    "starting": "starting",
    "environment": "without the environment",
}


def summary(expected: int | None, states: list[str], environment_errors: Sequence[str] = ()) -> str:
    """The verdict in words, for a failure message, with why the
    environment did not load (ENVIRONMENT_ERRORS) when it did not."""
    counts = ", ".join(f"{states.count(state)} {words}" for state, words in STATE_WORDS.items() if state in states)
    of = f" of {expected}" if expected is not None else ""
    said = f"{len(states)}{of} daemon processes running ({counts or 'none'})"
    if environment_errors:
        said += f"; the application's environment did not load: {'; '.join(environment_errors)}"
    return said


def restart_group(display_name: str, uid: int, proc: str = "/proc", send: Send = os.kill) -> list[int]:
    """Ask each daemon process of the group for a graceful restart
    (SIGUSR1: mod_wsgi lets active requests finish within graceful-timeout,
    and Apache starts a new process, which preloads the code again).
    Returns the PIDs signalled."""
    pids = group_processes(display_name, uid, proc)
    for pid in pids:
        try:
            send(pid, signal.SIGUSR1)
        except ProcessLookupError:
            continue
    return pids


def restart(display_name: str, user: str, script: str, proc: str = "/proc", send: Send = os.kill) -> list[int]:
    """Mark SCRIPT as changed (its modification time, which the records
    compare with) and restart the group's processes, run by USER. Returns
    the PIDs signalled; raises LookupError naming a missing account."""
    uid = account_uid(user)
    os.utime(script)
    return restart_group(display_name, uid, proc, send)


def account_uid(user: str) -> int:
    """USER's uid; raises LookupError naming a missing account."""
    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        raise LookupError(f"there is no account {user} that the daemons could run as") from None
