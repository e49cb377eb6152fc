# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Releases of an application: each deploy's code in <root>/releases/<id>,
the one served named by the symbolic link <root>/current, virtualenvs in
<root>/venvs/<id>, and a history of the switches in a JSON file.

Plain Python with no Ansible import, shared by the host reading and the
release module, and unit-tested on a temporary directory.
"""

from __future__ import annotations

import ctypes
import datetime
import errno
import json
import os
import shutil
import tarfile
from collections.abc import Collection, Iterable, Sequence
from typing import Any

# One switch of the history: "id", "source", "switched" and, once it passed
# its health check, "good".
Entry = dict[str, Any]

RELEASES = "releases"
VENVS = "venvs"
CURRENT = "current"
# The link, inside a release, to the virtualenv built for its requirements.
VENV_LINK = ".flask_wsgi_venv"
# Written into a virtualenv once its requirements are installed.
VENV_COMPLETE = "flask-wsgi-installed-requirements.txt"
# Python 3.12 and later check what an archive extracts; "tar" refuses
# absolute and escaping paths but keeps a release's link to its virtualenv
# (../../venvs/<id>), which "data", 3.14's default, refuses.
EXTRACT: dict[str, Any] = {"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}


def read_history(path: str) -> list[Entry]:
    """The switches recorded in PATH, oldest first: each a dict with the
    release "id", its "source" and "switched" (UTC, ISO 8601), and "good"
    once it passed its health check."""
    try:
        with open(path, encoding="utf-8") as handle:
            history = json.load(handle)
    except (OSError, ValueError):
        return []
    return (
        [entry for entry in history if isinstance(entry, dict) and entry.get("id")] if isinstance(history, list) else []
    )


def write_history(path: str, history: Sequence[Entry]) -> None:
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(history, handle, indent=1)
        handle.write("\n")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def current_release(root: str) -> str:
    """The id of the release <root>/current names, or "" when there is none."""
    try:
        target = os.readlink(os.path.join(root, CURRENT))
    except OSError:
        return ""
    head, name = os.path.split(os.path.normpath(target))
    return name if os.path.basename(head) == RELEASES else ""


def listing(directory: str) -> list[str]:
    try:
        return sorted(name for name in os.listdir(directory) if not name.startswith("."))
    except OSError:
        return []


def read_releases(root: str, history_path: str) -> dict[str, Any]:
    """What the host has of the application's releases."""
    venvs_dir = os.path.join(root, VENVS)
    return {
        "current": current_release(root),
        "releases": listing(os.path.join(root, RELEASES)),
        "venvs": [name for name in listing(venvs_dir) if os.path.exists(os.path.join(venvs_dir, name, VENV_COMPLETE))],
        "history": read_history(history_path),
    }


def previous_release(history: Sequence[Entry], current: str) -> str:
    """The release served before CURRENT, by the history: the last one
    switched to that is not CURRENT; "" when there was none."""
    for entry in reversed(history):
        if entry["id"] != current:
            return str(entry["id"])
    return ""


def last_good_release(history: Sequence[Entry]) -> str:
    for entry in reversed(history):
        if entry.get("good"):
            return str(entry["id"])
    return ""


def resolve(wanted: str, history: Sequence[Entry], current: str, existing: Collection[str]) -> tuple[str, str]:
    """The release id that WANTED names: an id, "previous" (the one served
    before CURRENT) or "good" (the last one that passed its health check).
    Returns (id, error); error is "" when the release is there."""
    if wanted == "previous":
        found = previous_release(history, current)
        if not found:
            return "", "there is no previous release to go back to"
    elif wanted == "good":
        found = last_good_release(history)
        if not found:
            return "", "no release has passed its health check yet"
    else:
        found = wanted
    if found not in existing:
        return "", f"there is no release {found}; the host has {', '.join(existing) or 'none'}"
    return found, ""


def record_switch(
    history: Sequence[Entry], release: str, source: str, now: datetime.datetime | None = None
) -> list[Entry]:
    """HISTORY after a switch to RELEASE: the release moves to the end."""
    when = (now or datetime.datetime.now(datetime.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    earlier = [entry for entry in history if entry["id"] == release]
    entry = dict(earlier[-1] if earlier else {}, id=release, switched=when)
    if source:
        entry["source"] = source
    return [item for item in history if item["id"] != release] + [entry]


def mark_good(history: Sequence[Entry], release: str) -> list[Entry]:
    return [dict(entry, good=True) if entry["id"] == release else entry for entry in history]


def releases_to_prune(history: Sequence[Entry], existing: Sequence[str], current: str, keep: int) -> list[str]:
    """The releases in EXISTING to remove so that KEEP remain: first those
    never switched to, then the oldest switched to. CURRENT, the one before
    it and the last good one are always kept."""
    order = [entry["id"] for entry in history if entry["id"] in existing]
    never = [name for name in existing if name not in order]
    protected = {current, previous_release(history, current), last_good_release(history)}
    candidates = [name for name in never + order if name not in protected]
    excess = len(existing) - max(int(keep), 1)
    return candidates[: max(excess, 0)]


def venvs_in_use(root: str, releases: Iterable[str]) -> set[str]:
    """The virtualenvs the RELEASES link to."""
    used: set[str] = set()
    for release in releases:
        try:
            target = os.readlink(os.path.join(root, RELEASES, release, VENV_LINK))
        except OSError:
            continue
        used.add(os.path.basename(os.path.normpath(target)))
    return used


def switch(root: str, release: str) -> None:
    """Point <root>/current at RELEASE atomically: a new link renamed over
    the old, so that the path always names a whole release."""
    link = os.path.join(root, CURRENT)
    temporary = os.path.join(root, f".{CURRENT}.{os.getpid()}")
    if os.path.lexists(temporary):
        os.unlink(temporary)
    os.symlink(os.path.join(RELEASES, release), temporary)
    os.replace(temporary, link)


def remove_tree(path: str) -> None:
    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
    else:
        shutil.rmtree(path)


def venv_link_target(venv: str) -> str:
    """What a release's link to the virtualenv VENV points at, relative to
    the release."""
    return f"../../{VENVS}/{venv}"


def exchange(first: str, second: str) -> bool:
    """Swap the paths FIRST and SECOND in one step (renameat2 with
    RENAME_EXCHANGE); False where the kernel or the C library cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(error, os.strerror(error), second)


def unpack(root: str, release: str, archive: str) -> None:
    """Unpack the tar ARCHIVE as <root>/releases/<release>, into a directory
    beside it first and then renamed into place (exchanged with the one
    there, if the release was built before and edited since), so that the
    path never names a half-unpacked release."""
    target = os.path.join(root, RELEASES, release)
    partial = os.path.join(root, RELEASES, f".{release}.partial")
    if os.path.lexists(partial):
        remove_tree(partial)
    os.mkdir(partial)
    os.chmod(partial, 0o755)
    try:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                name = os.path.normpath(member.name)
                if os.path.isabs(name) or name == ".." or name.startswith("../"):
                    raise ValueError(f"{member.name} in {archive} is outside the release")
            tar.extractall(partial, **EXTRACT)
    except BaseException:
        remove_tree(partial)
        raise
    if os.path.isdir(target) and not os.path.islink(target):
        if exchange(partial, target):
            remove_tree(partial)
            return
        remove_tree(target)
    os.rename(partial, target)


def leftovers(listing: dict[str, Any]) -> list[str]:
    """What an earlier layout left, for one entry of the host reading's
    "listings": with a "marker", the directory itself when the marker is in
    it (a virtualenv of the earlier layout); else the entries of the
    directory that are not kept (nor being written, *.tmp)."""
    path = listing["path"]
    if listing.get("marker"):
        return [path] if os.path.exists(os.path.join(path, listing["marker"])) else []
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return []
    keep = set(listing.get("keep") or [])
    return [os.path.join(path, name) for name in names if name not in keep and not name.endswith(".tmp")]
