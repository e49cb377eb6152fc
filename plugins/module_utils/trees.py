# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Directory trees described file by file, to tell whether deployed code is
the code it should be without copying it again.

The controller describes the source directory as the copy will write it
(wanted_tree); the host reading describes the deployed directory
(describe_tree) and compares the two (tree_differs). Plain Python with no
Ansible import, shared by the module and the plan and unit-tested.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Collection
from typing import Any

# One path's type, uid, gid, mode and, for a file, checksum; a tree maps
# relative paths to them.
Entry = dict[str, Any]
Tree = dict[str, Entry]


def file_checksum(path: str) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_entry(path: str, info: os.stat_result) -> Entry:
    """Type, owner, group, mode and, for files, SHA-1 of PATH, whose stat
    result is INFO."""
    entry: Entry = {"uid": info.st_uid, "gid": info.st_gid, "mode": f"{stat.S_IMODE(info.st_mode):04o}"}
    if stat.S_ISDIR(info.st_mode):
        entry["type"] = "directory"
    elif stat.S_ISREG(info.st_mode):
        entry.update(type="file", checksum=file_checksum(path))
    else:
        entry["type"] = "link" if stat.S_ISLNK(info.st_mode) else "other"
    return entry


def describe_tree(root: str, ignore: Collection[str] = (), follow_links: bool = False) -> Tree:
    """Every file and directory below ROOT, by path relative to it: type,
    owner, group, mode and, for files, SHA-1. Names in IGNORE, at the top
    only, are left out. Links are followed with FOLLOW_LINKS, else reported
    as links."""
    described: Tree = {}
    for top, dirs, files in os.walk(root, followlinks=follow_links):
        relative_top = os.path.relpath(top, root)
        if relative_top == ".":
            dirs[:] = [name for name in dirs if name not in ignore]
            files = [name for name in files if name not in ignore]
        dirs.sort()
        for name in [*dirs, *sorted(files)]:
            path = os.path.join(top, name)
            info = os.stat(path) if follow_links else os.lstat(path)
            relative = os.path.normpath(os.path.join(relative_top, name))
            described[relative] = describe_entry(path, info)
    return described


def wanted_tree(source: str, ignore: Collection[str] = ()) -> Tree:
    """SOURCE as a root-owned copy with u=rwX,go=rX (the role's copy task)
    writes it: directories 0755, files 0755 when executable, else 0644."""
    wanted: Tree = {}
    for relative, entry in describe_tree(source, ignore, follow_links=True).items():
        if entry["type"] == "directory":
            wanted[relative] = {"type": "directory", "uid": 0, "gid": 0, "mode": "0755"}
        else:
            executable = int(entry["mode"], 8) & 0o111
            wanted[relative] = {
                "type": "file",
                "uid": 0,
                "gid": 0,
                "mode": "0755" if executable else "0644",
                "checksum": entry["checksum"],
            }
    return wanted


def tree_differs(described: Tree, wanted: Tree) -> bool:
    """Whether a described tree has other paths than WANTED, or any path
    another type, owner, group, mode or content."""
    if set(described) != set(wanted):
        return True
    return any(
        described[path].get(key) != value for path, attributes in wanted.items() for key, value in attributes.items()
    )
