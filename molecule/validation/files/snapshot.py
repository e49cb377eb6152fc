"""Snapshot of the host's files, to show that a rejected run changed none.

    python3 snapshot.py save      record the snapshot the checks compare with
    python3 snapshot.py compare   print one line per path that differs from it

Every path under the trees below (volatile ones left out) is recorded with
its type, owner, group, mode, and the SHA-256 of its content (files) or its
target (links). Content hashes are cached by inode, size, modification and
change time: the change time moves with any write and cannot be set back,
so an unchanged key means unchanged content, and a compare reads only what
changed.
"""

import hashlib
import json
import os
import stat
import sys

TREES = ["/etc", "/usr", "/srv", "/var", "/opt", "/home", "/root"]
VOLATILE = {"/var/log", "/var/cache", "/var/tmp", "/var/lib/systemd", "/root/.ansible"}
STATE = "/tmp/flask-wsgi-snapshot"


def content_hash(path, info, cache):
    key = f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"
    if cache.get(path, [None])[0] != key:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        cache[path] = [key, digest.hexdigest()]
    return cache[path][1]


def describe(path, info, cache):
    kind = stat.S_IFMT(info.st_mode)
    entry = [kind, info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)]
    if stat.S_ISREG(kind):
        entry.append(content_hash(path, info, cache))
    elif stat.S_ISLNK(kind):
        entry.append(os.readlink(path))
    return entry


def snapshot(cache):
    found = {}
    for tree in TREES:
        for top, dirs, files in os.walk(tree):
            dirs[:] = [name for name in dirs if os.path.join(top, name) not in VOLATILE]
            for name in [*dirs, *files, ""]:
                path = os.path.join(top, name) if name else top
                try:
                    found[path] = describe(path, os.lstat(path), cache)
                except OSError:
                    continue
    return found


def load(name, default):
    try:
        with open(os.path.join(STATE, name), encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return default


def save(name, value):
    with open(os.path.join(STATE, name), "w", encoding="utf-8") as handle:
        json.dump(value, handle)


def main(action):
    os.makedirs(STATE, exist_ok=True)
    cache = load("hashes.json", {})
    now = snapshot(cache)
    save("hashes.json", cache)
    if action == "save":
        save("snapshot.json", now)
        return
    before = load("snapshot.json", None)
    fields = ["type", "owner", "group", "mode", "content"]
    for path in sorted(set(before) | set(now)):
        if path not in now:
            print(f"removed {path}")
        elif path not in before:
            print(f"added {path}")
        elif before[path] != now[path]:
            changed = [field for field, old, new in zip(fields, before[path], now[path], strict=False) if old != new]
            print(f"changed {path}: {', '.join(changed)}")


if __name__ == "__main__":
    main(sys.argv[1])
