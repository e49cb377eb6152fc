# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What a role manages on a host, one entry a thing: the shape every role's
registry shares, and what is derived from it.

An entry says where a thing is, where its content comes from, whose it is,
what the running server must do to pick up a change to it, whether a
rollback restores it, and at which point of a run it is written. Each role
lists its entries (flask_wsgi: plan/registry.py; apache_server: server.py;
haproxy_lb: balancer.py); the rest is derived here:

- the comparison: compare_form() is what the host reading checks of an
  entry, differs() the same check made on the controller over a reading,
  stale_templates() the templated files whose rendering changed, and
  missing_packages() the packages to install;
- the writes: the directories and files are written by one call per
  phase (flaskwsgi.deploy.managed_files, which resolves each file's source
  on the controller); each role's writer() names the task that writes the
  other kinds;
- the apply decision: pick_up() is the strongest action the changed
  entries need;
- the record and the rollback: an entry with a ``known_good`` path gets a
  last good copy, written once the server picked the change up and passed
  its checks (known_good_copy()): the comparison with it tells a change not
  yet applied; with rollback=True, the rollback puts it back
  (restore_files()).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, TypedDict

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.parts import Part


class PathEntry(TypedDict, total=False):
    """A path the host reading compares (host_reading's paths):
    whether it exists, or its type, owner (uid, or name), group (gid, or
    name), mode and, for a file, checksum."""

    path: str
    exists: bool
    type: str
    uid: int
    gid: int
    owner: str
    group: str
    mode: str
    checksum: str | None
    target: str


# Where an entry's content comes from:
# - directory: a directory, made with its owner and mode;
# - template: one of the role's templates, rendered on the controller;
# - text: text worked out in Python (in origin);
# - variable: a role variable as sorted JSON (origin names it), resolved
#   by the writer, so that a secret never is in a registered result;
# - role_file: one of the role's files (origin names it);
# - controller_file: a file on the controller (origin is its path, found
#   like a copy task's src);
# - link: a link Apache's own tools make (a2ensite, a2enconf; origin is the
#   site's or configuration's name);
# - symlink: a symbolic link to origin, made as it is;
# - module: an Apache module's load link (a2enmod);
# - generated: a file a module makes (a self-signed key or certificate;
#   origin says which: "key" or "certificate"), compared without its
#   content;
# - mark: a record the role writes when it decides to (the account's mark);
# - package: a Debian package (path is its name), installed by apt before
#   anything else; its own maintainer scripts start, restart or reload
#   what it brings (Debian's apache2 helpers restart Apache for a module
#   package), so the role's server picks up nothing more.
Source = Literal[
    "directory",
    "template",
    "text",
    "variable",
    "role_file",
    "controller_file",
    "link",
    "symlink",
    "module",
    "generated",
    "mark",
    "package",
]
# The entries flaskwsgi.deploy.managed_files writes: their content is known on the controller.
FILE_SOURCES: tuple[Source, ...] = ("template", "text", "variable", "role_file", "controller_file")
# What it writes: those files, and directories.
WRITTEN_SOURCES: tuple[Source, ...] = ("directory", *FILE_SOURCES)

# What the running server must do to pick up a change, from least to most
# ("reload" is the role's server's: Apache's, or HAProxy's).
PickUp = Literal["none", "daemons", "reload", "restart"]
PICK_UPS: tuple[PickUp, ...] = ("none", "daemons", "reload", "restart")

# When in a run an entry is written:
# - prepare: with the packages, before anything of the application;
# - acme: before the certificate is asked for (what serves the challenges);
# - build: before the release is built (what the build uses);
# - deploy: before the running server picks up the change;
# - record: after the server picked it up and passed its checks (what the
#   next runs compare to).
Phase = Literal["prepare", "acme", "build", "deploy", "record"]
PHASES: tuple[Phase, ...] = ("prepare", "acme", "build", "deploy", "record")


@dataclass(frozen=True)
class Entry:
    """One thing a role manages on a host."""

    name: str
    path: str
    source: Source
    # The template's or file's name, the text, the module's name, the link's target.
    origin: str = ""
    owner: str = "root"
    group: str = "root"
    mode: str = "0644"
    # False: the role removes it (a file), or keeps it away (a link).
    present: bool = True
    picks_up: PickUp = "none"
    rollback: bool = False
    phase: Phase = "deploy"
    # Never shown: not in the output, not in --diff.
    secret: bool = False
    # The SHA-1 the content should have, when the controller knows it before
    # the host is read; a template's is worked out by the comparison.
    checksum: str = ""
    # Where the last good copy is kept: the content the server last picked up.
    known_good: str = ""
    # A last good copy: the name of the entry whose content it has.
    copy_of: str = ""
    # A command that must accept the new content before it replaces the
    # file, %s standing for the new content's path (as a template task's
    # validate).
    validate: str = ""
    # The part of a deploy it belongs to (parts.py): a run limited by tags
    # to other parts leaves it as it is.
    part: Part = "app"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def package_entries(names: Iterable[str]) -> list[Entry]:
    """An entry for each package of NAMES, once each, in their order: a
    package is installed in the prepare phase, before anything else."""
    return [
        Entry(f"package:{name}", name, "package", phase="prepare", part="packages") for name in dict.fromkeys(names)
    ]


def only(registry: Sequence[Entry], parts: Iterable[str]) -> list[Entry]:
    """REGISTRY's entries of PARTS (the parts a run selects, parts.py)."""
    chosen = set(parts)
    return [entry for entry in registry if entry.part in chosen]


def packages(registry: Sequence[Entry]) -> list[str]:
    """The names of REGISTRY's packages: what the host reading asks of the
    package database, and what apt installs."""
    return [entry.path for entry in registry if entry.source == "package"]


def missing_packages(registry: Sequence[Entry], installed: Mapping[str, bool], every: bool = False) -> list[str]:
    """The packages of REGISTRY that INSTALLED (the host reading's
    packages: name to whether it is installed) says are not installed; with
    EVERY, each package the reading reports, so that apt checks them all."""
    return [name for name in packages(registry) if name in installed and (every or not installed[name])]


def on_paths(registry: Sequence[Entry]) -> list[Entry]:
    """REGISTRY's entries that name a path (all but the packages)."""
    return [entry for entry in registry if entry.source != "package"]


def compared_paths(registry: Sequence[Entry]) -> list[PathEntry]:
    """What the host reading checks of REGISTRY's paths (compare_form)."""
    return [compare_form(entry) for entry in on_paths(registry)]


def compare_form(entry: Entry) -> PathEntry:
    """What the host reading checks of ENTRY: that it exists or not, its
    target (a symlink), or its type, owner, group, mode and, when known,
    checksum."""
    if not entry.present or entry.source in ("link", "module", "mark"):
        return {"path": entry.path, "exists": entry.present}
    if entry.source == "symlink":
        return {"path": entry.path, "type": "link", "target": entry.origin}
    form: PathEntry = {"path": entry.path, "type": "directory" if entry.source == "directory" else "file"}
    # root's by number, anyone else's by name (which the account may only get in this run).
    if entry.owner == "root":
        form["uid"] = 0
    else:
        form["owner"] = entry.owner
    if entry.group == "root":
        form["gid"] = 0
    else:
        form["group"] = entry.group
    form["mode"] = entry.mode
    if entry.source in FILE_SOURCES and entry.source != "template":
        form["checksum"] = entry.checksum or None
    return form


def differs(entry: Entry, described: Mapping[str, Any]) -> bool:
    """Whether DESCRIBED (the host reading of ENTRY's path) differs from what
    compare_form() checks: the host reading's own test, on the controller."""
    form: Mapping[str, Any] = compare_form(entry)
    return any(value is not None and described.get(key) != value for key, value in form.items() if key != "path")


def stale_templates(registry: Sequence[Entry], paths: Mapping[str, Any], checksums: Mapping[str, str]) -> list[str]:
    """The paths of REGISTRY's present templated files (a last good copy
    included) whose content on the host (PATHS, the host reading's) is not
    what CHECKSUMS (what each template renders to, by entry name) says."""
    return [
        entry.path
        for entry in registry
        if entry.source == "template"
        and entry.present
        and paths.get(entry.path, {}).get("checksum", "") != checksums.get(entry.copy_of or entry.name)
    ]


def known_good_copy(entry: Entry) -> Entry:
    """The last good copy of ENTRY, an entry of its own: the same content,
    root's only, written once the server picked it up and passed."""
    return replace(
        entry,
        name=f"{entry.name}.known_good",
        path=entry.known_good,
        owner="root",
        group="root",
        mode="0600",
        picks_up="none",
        rollback=False,
        phase="record",
        known_good="",
        copy_of=entry.name,
        validate="",
    )


def with_copies(registry: list[Entry]) -> list[Entry]:
    """REGISTRY and the last good copy of each entry that has one."""
    return registry + [known_good_copy(entry) for entry in registry if entry.known_good]


def known_good_checksums(registry: Sequence[Entry], paths: Mapping[str, Any]) -> dict[str, str]:
    """The checksum of each last good copy on the host (PATHS, the host
    reading's), by the name of the entry it copies ("" when there is none)."""
    return {entry.name: paths.get(entry.known_good, {}).get("checksum", "") for entry in registry if entry.known_good}


def strongest(actions: Iterable[str]) -> PickUp:
    """The strongest of ACTIONS (names in PICK_UPS); "none" when there are none."""
    return PICK_UPS[max((PICK_UPS.index(action) for action in actions), default=0)]


def variable_content(value: Any) -> str:
    """A variable source's content: the value as JSON, sorted (an unset one as {})."""
    return json.dumps(value or {}, sort_keys=True)


def as_entries(registry: Sequence[Mapping[str, Any]]) -> list[Entry]:
    """The registry as a task registered it (dicts) back into entries."""
    return [Entry(**entry) for entry in registry]


def by_name(registry: Sequence[Entry]) -> dict[str, Entry]:
    return {entry.name: entry for entry in registry}


def pick_up(registry: Sequence[Entry], changed: Iterable[str]) -> PickUp:
    """The strongest action the entries named in CHANGED need."""
    named = by_name(registry)
    return strongest(named[name].picks_up for name in changed if name in named)


def unapplied(registry: Sequence[Entry], wanted: Mapping[str, str], known_good: Mapping[str, str]) -> PickUp:
    """The strongest action the entries with a last good copy need whose
    content (WANTED, by name) is not the copy's (KNOWN_GOOD, by name): a
    run interrupted after writing a file but before the server picked it up
    leaves a difference that the next run still sees."""
    return strongest(
        entry.picks_up
        for entry in registry
        if entry.known_good and wanted.get(entry.name) != known_good.get(entry.name)
    )


def changed(result: Any) -> bool:
    return isinstance(result, dict) and bool(result.get("changed"))


def changed_entries(results: Mapping[str, Any]) -> list[str]:
    """The names of what the writing tasks changed, from RESULTS, their
    registered results by name: flaskwsgi.deploy.managed_files says which
    entries it changed; a loop over entries (its result, or its results
    list) changed the entries of its changed items; any other result
    changed the entry it is given under."""
    names: list[str] = []
    for name, result in results.items():
        if isinstance(result, list):
            # A loop's results alone (an empty loop's whole result carries
            # a deprecated key that Ansible warns about when it is passed on).
            names += [item["item"]["name"] for item in result if changed(item)]
            continue
        if not changed(result):
            continue
        if "changed_entries" in result:
            names += result["changed_entries"]
        elif "results" in result:
            names += [item["item"]["name"] for item in result["results"] if changed(item)]
        else:
            names.append(name)
    return names


def due(registry: Sequence[Entry], phase: str | Iterable[str], differing: Iterable[str]) -> list[Entry]:
    """The directory and file entries written in PHASE (one, or several at
    once) whose path differs, in the registry's order (a directory before
    what is in it)."""
    paths = set(differing)
    phases = {phase} if isinstance(phase, str) else set(phase)
    return [
        entry for entry in registry if entry.source in WRITTEN_SOURCES and entry.phase in phases and entry.path in paths
    ]


def file_write(entry: Entry, **content: str) -> dict[str, Any]:
    """One file as flaskwsgi.deploy.managed_files takes it: ENTRY's path,
    owner, group, mode and validate command, with CONTENT ("content",
    base64, or "copy_from", a path on the host; none for a removed file)."""
    fields = ("name", "path", "present", "owner", "group", "mode", "secret", "validate")
    return {field: getattr(entry, field) for field in fields} | {"directory": entry.source == "directory"} | content


def file_writes(writing: Sequence[Entry], contents: Mapping[str, str]) -> list[dict[str, Any]]:
    """What flaskwsgi.deploy.managed_files writes: the entries WRITING (due's
    result) with CONTENTS (each present entry's content by name, base64,
    resolved on the controller; a removed entry has none)."""
    return [
        file_write(entry, content=contents[entry.name]) if entry.name in contents else file_write(entry)
        for entry in writing
    ]


def restore_files(registry: Sequence[Entry]) -> list[dict[str, Any]]:
    """What the rollback puts back: each entry with rollback=True, from its
    last good copy on the host."""
    return [file_write(entry, copy_from=entry.known_good) for entry in registry if entry.rollback]
