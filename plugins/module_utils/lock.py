# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The host's lock: two runs against one host never change it at once.

A run holds the lock (a file made with O_EXCL, naming its owner) for its
changing part. Each release counts one change in CHANGES, with its owner.
The host reading returns that count; a run that takes the lock after
another run changed the host since its reading stops before any change,
because what it decided is out of date."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

# Who holds the lock ({"owner", "since"}, "took_over" when taken over).
Holder = dict[str, Any]

DIRECTORY = "/run/lock/flaskwsgi.deploy"
HELD = "lock"
CHANGES = "changes"
# How many releases CHANGES keeps (their count and owner).
KEPT = 50
# A lock older than this (seconds) was left by a run that died.
ABANDONED_AFTER = 7200


def read_json(path: str) -> dict[str, Any] | None:
    """The JSON object in PATH; None when there is none, or not a whole one."""
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def changes(directory: str = DIRECTORY) -> dict[str, Any]:
    """The count of changing parts that ended on this host since boot, and
    the latest ones' owners: {"count": int, "recent": [{"count", "owner"}]}."""
    found = read_json(os.path.join(directory, CHANGES)) or {}
    return {"count": int(found.get("count", 0)), "recent": list(found.get("recent", []))}


def seen(reading: Mapping[str, Any]) -> int:
    """The change count a host READING (with its "lock") found: host_lock's
    seen."""
    return int((reading.get("lock") or {}).get("count", 0))


def changed_by_others(found: dict[str, Any], seen: int, owner: str) -> list[str]:
    """The owners of the changes in FOUND (changes()) after the count SEEN
    that were not OWNER's."""
    return sorted({entry["owner"] for entry in found["recent"] if entry["count"] > seen and entry["owner"] != owner})


def write_atomically(path: str, data: dict[str, Any]) -> None:
    temporary = f"{path}.{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(temporary, path)


def try_take(directory: str, owner: str, now: float, abandoned: str = "") -> tuple[bool, Holder]:
    """Takes the lock for OWNER, or returns who holds it: (taken, holder).
    A lock ABANDONED holds (a run known to have ended) is taken over."""
    os.makedirs(directory, mode=0o700, exist_ok=True)
    path = os.path.join(directory, HELD)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        holder = read_json(path)
        if holder is None:
            # Being written, or gone since: ask again.
            return False, {"owner": "", "since": now}
        if holder.get("owner") == owner:
            return True, holder
        if holder.get("owner") == abandoned or now - float(holder.get("since", now)) > ABANDONED_AFTER:
            write_atomically(path, {"owner": owner, "since": now, "took_over": holder.get("owner", "")})
            return True, holder
        return False, holder
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"owner": owner, "since": now}, handle)
    return True, {"owner": owner, "since": now}


def take(
    owner: str,
    wait: float,
    directory: str = DIRECTORY,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    abandoned: str = "",
) -> dict[str, Any]:
    """Waits up to WAIT seconds for the lock; returns {"taken", "holder",
    "waited"}: holder is who held it last (OWNER itself once taken). The
    lock of ABANDONED, a run known to have ended, is taken over."""
    start = clock()
    while True:
        taken, holder = try_take(directory, owner, clock(), abandoned)
        if taken or clock() - start >= wait:
            return {"taken": taken, "holder": holder, "waited": round(clock() - start, 1)}
        sleep(0.5)


def release(owner: str, directory: str = DIRECTORY, count_change: bool = True) -> bool:
    """Releases OWNER's lock (another's is left alone), counting one change;
    returns whether it held it."""
    path = os.path.join(directory, HELD)
    holder = read_json(path) or {}
    if holder.get("owner") != owner:
        return False
    if count_change:
        found = changes(directory)
        count = found["count"] + 1
        recent = (found["recent"] + [{"count": count, "owner": owner}])[-KEPT:]
        write_atomically(os.path.join(directory, CHANGES), {"count": count, "recent": recent})
    os.unlink(path)
    return True


def held_message(host: str, holder: Holder, waited: float, variable: str, now: float) -> str:
    """Why a run gave up waiting for the lock."""
    since = round(now - float(holder.get("since", now)))
    return (
        f"Another run is changing {host}: {holder.get('owner') or 'a run'} has held its lock for {since} s, and this "
        f"run waited {waited} s for it ({variable}). Nothing was changed by this run. Run it again once the other "
        f"has ended; if no run is going on, the lock ({DIRECTORY}/{HELD}) was left by one that died: remove it."
    )


def out_of_date_message(host: str, owners: list[str]) -> str:
    """Why a run that got the lock stops."""
    return (
        f"Another run ({', '.join(owners)}) changed {host} after this run read it, while this run waited for the "
        "host's lock. Nothing was changed by this run, which decided on what it read: run it again."
    )


def apply(params: dict[str, Any], directory: str = DIRECTORY) -> dict[str, Any]:
    """What the host_lock module does with PARAMS (its options): the
    module's result, with "failed" and "msg" when it fails."""
    owner = params["owner"]
    if params["state"] == "absent":
        return {"changed": False, "released": release(owner, directory)}
    taken = take(owner, params["wait"], directory, abandoned=params.get("abandoned") or "")
    if not taken["taken"]:
        message = held_message(params["host"], taken["holder"], taken["waited"], params["variable"], time.time())
        return dict(taken, changed=False, failed=True, msg=message)
    if params.get("seen") is not None:
        others = changed_by_others(changes(directory), params["seen"], owner)
        if others:
            release(owner, directory, count_change=False)
            return dict(taken, changed=False, failed=True, msg=out_of_date_message(params["host"], others))
    return dict(taken, changed=False)
