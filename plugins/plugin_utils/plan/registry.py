# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Everything the flask_wsgi role manages on a host, one entry a thing.

An entry says where a thing is, where its content comes from, whose it is,
what the running server must do to pick up a change to it, whether a
rollback restores it, and at which point of a run it is written. The rest
is derived from the entries:

- the comparison: compare_form() is what the host reading checks;
- the writes: the files are written by one call per phase
  (flaskwsgi.deploy.managed_files, which resolves each entry's source on the
  controller), the directories by one loop, the modules and the site link
  by Apache's own tools; writer() names which;
- the apply decision: pick_up() is the strongest action the changed
  entries need (plan/apply.py);
- the rollback: an entry with rollback=True gets a last good copy, written
  after the health check passed (known_good_copy()), and put back by the
  rollback (restore_files()).

Adding a managed file is one entry here, plus its template or file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import file_checksum
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import PathEntry, Plan, Values, text_checksum
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth

# Where an entry's content comes from:
# - directory: a directory, made with its owner and mode;
# - template: one of the role's templates, rendered on the controller;
# - text: text worked out in Python (in origin);
# - variable: a role variable as sorted JSON (origin names it), resolved
#   by the writer, so that a secret never is in a registered result;
# - role_file: one of the role's files (origin names it);
# - controller_file: a file on the controller (origin is its path, found
#   like a copy task's src);
# - link: a link Apache's own tool makes (a2ensite);
# - module: an Apache module's load link (a2enmod, through apache2_module);
# - mark: a record the role writes when it decides to (the account's mark).
Source = Literal["directory", "template", "text", "variable", "role_file", "controller_file", "link", "module", "mark"]
# The entries flaskwsgi.deploy.managed_files writes: their content is known on the controller.
FILE_SOURCES: tuple[Source, ...] = ("template", "text", "variable", "role_file", "controller_file")

# What the running server must do to pick up a change, from least to most.
PickUp = Literal["none", "daemons", "reload", "restart"]
PICK_UPS: tuple[PickUp, ...] = ("none", "daemons", "reload", "restart")

# When in a run an entry is written:
# - prepare: with the packages, before anything of the application;
# - build: before the release is built (what the build uses: pip's CA
#   bundle, and the script and environment the release commands start with);
# - deploy: after the release is built, before the running server picks up
#   the change;
# - record: after the health check passed (what the next runs compare to).
Phase = Literal["prepare", "build", "deploy", "record"]
PHASES: tuple[Phase, ...] = ("prepare", "build", "deploy", "record")


@dataclass(frozen=True)
class Entry:
    """One thing the role manages on a host."""

    name: str
    path: str
    source: Source
    # The template's or file's name, the text, the module's name.
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
    # Where the last good copy of an entry with rollback=True is kept.
    known_good: str = ""
    # A last good copy: the name of the entry whose content it has.
    copy_of: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare_form(entry: Entry) -> PathEntry:
    """What the host reading checks of ENTRY: that it exists or not, or its
    type, owner, group, mode and, when known, checksum."""
    if entry.source in ("link", "module", "mark") or not entry.present:
        return {"path": entry.path, "exists": entry.present}
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


def known_good_copy(entry: Entry) -> Entry:
    """The last good copy of ENTRY, an entry of its own: the same content,
    root's only, written once the deployment passed its health check."""
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
    )


def writer(entry: Entry) -> str:
    """Which kind of task of the role writes ENTRY: a managed_files call of
    its phase, the directories' loop, the modules' loop, a2ensite, or the
    account's mark."""
    if entry.source in FILE_SOURCES:
        return f"files:{entry.phase}"
    return {"directory": "directories", "link": "site", "module": "modules", "mark": "account_mark"}[entry.source]


def strongest(actions: Iterable[str]) -> PickUp:
    """The strongest of ACTIONS (names in PICK_UPS); "none" when there are none."""
    return PICK_UPS[max((PICK_UPS.index(action) for action in actions), default=0)]


def entries(
    values: Values,
    plan: Plan,
    recorder_checksum: str | None,
    start_checksum: str | None,
) -> list[Entry]:
    """Everything the role manages for one application, with PLAN (wanted's
    names: the paths it works out from VALUES and Apache's layout). The
    certificates and the releases are not here: certificates.py and
    release.py decide them."""
    site = values["flask_wsgi_site_name"]
    user, group = values["flask_wsgi_user"], values["flask_wsgi_group"]
    user_existing = truth(values["flask_wsgi_user_existing"])
    registry = [
        # Root's, but the daemons reach their records below it.
        Entry("state_dir", values["flask_wsgi_state_dir"], "directory", mode="0711", phase="prepare"),
        Entry("app_dir", values["flask_wsgi_app_dir"], "directory", mode="0755", phase="prepare"),
        Entry("releases_dir", plan["releases_dir"], "directory", mode="0755", phase="prepare"),
        Entry("venvs_dir", plan["venvs_dir"], "directory", mode="0755", phase="prepare"),
        Entry("document_root", values["flask_wsgi_document_root"], "directory", mode="0755", phase="prepare"),
        Entry("known_good_dir", plan["known_good_dir"], "directory", mode="0700", phase="prepare"),
    ]
    if not user_existing:
        # The daemons' home, which the role keeps unless it uses an existing
        # account as it is.
        registry.append(
            Entry(
                "home",
                values["flask_wsgi_user_home"],
                "directory",
                owner=user,
                group=group,
                mode="0750",
                phase="prepare",
            )
        )
    if plan["preload"]:
        # mod_wsgi preloads the recorder in every daemon process after the
        # WSGI script; it notes there whether the process loaded the script.
        registry.append(
            Entry(
                "daemon_records",
                plan["daemon_records_dir"],
                "directory",
                owner=user,
                group=group,
                mode="0700",
                phase="prepare",
            )
        )
    if plan["use_venv"] and values["flask_wsgi_pip_ca_bundle"]:
        bundle = values["flask_wsgi_pip_ca_bundle"]
        registry.append(
            Entry(
                "pip_ca", plan["pip_ca_path"], "controller_file", bundle, phase="build", checksum=file_checksum(bundle)
            )
        )
    if plan["preload"]:
        registry.append(
            Entry(
                "daemon_recorder",
                plan["daemon_recorder"],
                "role_file",
                "daemon_record.py",
                picks_up="daemons",
                checksum=recorder_checksum or "",
            )
        )
    registry.append(
        Entry(
            "daemon_start",
            plan["daemon_start"],
            "role_file",
            "daemon_start.py",
            picks_up="daemons",
            phase="build",
            checksum=start_checksum or "",
        )
    )
    # Secrets: root's, readable by the daemons' group only.
    environment = variable_content(values.get("flask_wsgi_environment"))
    registry.append(
        Entry(
            "environment",
            plan["environment_file"],
            "variable",
            "flask_wsgi_environment",
            group=group,
            mode="0640",
            present=bool(values.get("flask_wsgi_environment")),
            picks_up="daemons",
            phase="build",
            secret=True,
            checksum=text_checksum(environment),
        )
    )
    registry += [
        Entry(
            f"module:{module['name']}",
            module["link"],
            "module",
            module["name"],
            present=module["enabled"],
            picks_up="restart",
        )
        for module in plan["apache_modules"]
    ]
    registry += [
        Entry(
            "vhost",
            plan["site_file"],
            "template",
            "wsgi.conf.j2",
            picks_up="reload",
            rollback=True,
            known_good=f"{plan['known_good_dir']}/site.conf",
        ),
        Entry("site", plan["site_link"], "link", site, picks_up="reload"),
        # What the other applications on the host know of this one.
        Entry(
            "app_record",
            plan["app_record_path"],
            "text",
            plan["app_record_text"],
            mode="0600",
            phase="record",
            checksum=text_checksum(plan["app_record_text"]),
        ),
        # The mark that tells the next runs the account is the role's.
        Entry("account_mark", plan["account_mark"], "mark", present=not user_existing, phase="record"),
    ]
    return registry + [known_good_copy(entry) for entry in registry if entry.rollback]


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


def due(registry: Sequence[Entry], phase: str, differing: Iterable[str]) -> list[Entry]:
    """The file entries written in PHASE whose path differs."""
    paths = set(differing)
    return [
        entry for entry in registry if entry.source in FILE_SOURCES and entry.phase == phase and entry.path in paths
    ]


def file_write(entry: Entry, **content: str) -> dict[str, Any]:
    """One file as flaskwsgi.deploy.managed_files takes it: ENTRY's path,
    owner, group and mode, with CONTENT ("content", base64, or "copy_from",
    a path on the host; none for a removed file)."""
    fields = ("name", "path", "present", "owner", "group", "mode", "secret")
    return {field: getattr(entry, field) for field in fields} | content


def file_writes(writing: Sequence[Entry], contents: Mapping[str, str]) -> list[dict[str, Any]]:
    """What flaskwsgi.deploy.managed_files writes: the entries WRITING (due's
    result) with CONTENTS (each present entry's content by name, base64,
    resolved on the controller; a removed entry has none)."""
    return [
        file_write(entry, content=contents[entry.name]) if entry.present else file_write(entry) for entry in writing
    ]


def restore_files(registry: Sequence[Entry]) -> list[dict[str, Any]]:
    """What the rollback puts back: each entry with rollback=True, from its
    last good copy on the host."""
    return [file_write(entry, copy_from=entry.known_good) for entry in registry if entry.rollback]
