#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Write, in one call, the files of a role's registry that differ."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: managed_files
short_description: Write the differing files of a role's registry in one call (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - Writes a bundle of files and directories, each with its owner, group
    and mode, or removes a file, in one call to the host instead of one
    task a file. Each
    file is written beside itself and renamed over the old one, so a
    reader sees the whole old or the whole new file.
  - A file whose content is as it should be keeps it; only a differing
    owner, group or mode is then set.
  - Its action plugin resolves each entry's content on the controller (a
    template rendered with the task's variables, a role file, a controller
    file, text, or a variable as JSON) from the entries of a role's
    registry (C(plugins/plugin_utils/plan/registry.py)), for one or more
    phases of a run and only for the paths that differ; or, with O(restore), sends
    the entries a rollback puts back, to be copied from their last good
    copies on the host.
options:
  registry:
    description: The role's registry, as its plan registered it (what the action plugin reads).
    type: list
    elements: dict
    default: []
  phase:
    description:
      - The phases whose files to write (C(prepare), C(build), C(deploy) or C(record)), one or several.
    type: list
    elements: str
  differing:
    description: The paths the comparison found differing; other entries are left alone.
    type: list
    elements: str
    default: []
  restore:
    description: Put back the entries a rollback restores, from their last good copies on the host.
    type: bool
    default: false
  files:
    description: What the module itself takes (the action plugin sends it), a dict a file.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The registry entry's name, returned in RV(changed_entries).
        type: str
        required: true
      path:
        description: Where the file is.
        type: path
        required: true
      present:
        description: False removes the file.
        type: bool
        default: true
      owner:
        description: The file's owner.
        type: str
        default: root
      group:
        description: The file's group.
        type: str
        default: root
      mode:
        description: The file's mode, octal.
        type: str
        default: "0644"
      secret:
        description: Leave the file out of the diff.
        type: bool
        default: false
      content:
        description: The content, base64.
        type: str
      copy_from:
        description: A file on the host to copy the content from, instead of O(files[].content).
        type: path
      directory:
        description:
          - A directory, made with its owner, group and mode (and its
            missing parents, as C(mkdir -p)), or given them; no content.
        type: bool
        default: false
      validate:
        description:
          - A command that must accept the new content before it replaces the
            file, C(%s) standing for the new content's path, as a template
            task's C(validate). When it refuses, the file is left as it was
            and the task fails with what the command said. Not run in check mode.
        type: str
        default: ""
attributes:
  check_mode:
    description: Says which files would change, and writes nothing.
    support: full
  diff_mode:
    description: The old and new text of each changed file, but for secrets.
    support: full
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
"""

EXAMPLES = r"""
- name: Write the deployment's files that differ
  flaskwsgi.deploy.managed_files:
    registry: "{{ __flask_wsgi_wanted.registry }}"
    phase: deploy
    differing: "{{ flask_wsgi_plan.differing }}"
"""

RETURN = r"""
changed_entries:
  description: The names of the entries written or removed (that would be, in check mode).
  returned: always
  type: list
  elements: str
sources_found:
  description: With O(restore), the names of the entries whose last good copy was there.
  returned: always
  type: list
  elements: str
"""

import base64
import grp
import os
import pwd
import shlex
import stat
import tempfile
from collections.abc import Callable
from typing import Any

from ansible.module_utils.basic import AnsibleModule


def current(path: str) -> tuple[bytes | None, os.stat_result | None]:
    """PATH's content and status, or None for both when it is not a file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, None
    if not os.path.isfile(path) or os.path.islink(path):
        return None, info
    with open(path, "rb") as handle:
        return handle.read(), info


def ids(owner: str, group: str) -> tuple[int, int]:
    return pwd.getpwnam(owner).pw_uid, grp.getgrnam(group).gr_gid


def ownership(module: AnsibleModule, wanted: dict[str, Any], **failure: Any) -> tuple[int, int, int] | None:
    """WANTED's owner, group and mode as numbers; None in check mode for an
    account this run would create (check mode only pretends to), which
    counts as a change; otherwise an unknown account fails the task (with
    FAILURE in its result)."""
    try:
        uid, gid = ids(wanted["owner"], wanted["group"])
    except KeyError as error:
        if module.check_mode:
            return None
        module.fail_json(msg=f"{wanted['path']}: no such account or group: {error}", **failure)
    return uid, gid, int(wanted["mode"], 8)


def replace_file(
    path: str, content: bytes, uid: int, gid: int, mode: int, accepted: Callable[[str], str] | None = None
) -> str:
    """Write CONTENT beside PATH with its owner and mode, then rename it over
    PATH, unless ACCEPTED (given the new file's path) says why it is
    refused: then PATH is left as it was and the reason returned."""
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", dir=os.path.dirname(path))
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(content)
            output.flush()
            os.fchown(output.fileno(), uid, gid)
            os.fchmod(output.fileno(), mode)
            os.fsync(output.fileno())
        refused = accepted(temporary) if accepted else ""
        if refused:
            os.unlink(temporary)
            return refused
        os.replace(temporary, path)
        return ""
    except BaseException:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise


def validator(module: AnsibleModule, command: str) -> Callable[[str], str] | None:
    """What checks a new file's content with COMMAND (%s: the new file's
    path): what it said when it refuses the file, "" when it accepts it."""
    if not command:
        return None

    def accepted(path: str) -> str:
        rc, out, err = module.run_command(command.replace("%s", shlex.quote(path)))
        return "" if rc == 0 else f"{command} exited {rc}: {(err or out).strip()}"

    return accepted


def directory(module: AnsibleModule, wanted: dict[str, Any]) -> bool:
    """Make WANTED's directory, or set its owner and mode; whether it
    changed (would, in check mode). Missing parents are made as mkdir -p
    makes them (root's, 0755 under the usual umask), as the file module
    does; the registry lists a directory before what is in it."""
    path = wanted["path"]
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISDIR(info.st_mode):
        module.fail_json(msg=f"{path}: a directory is wanted there, and something else is in the way")
    owned = ownership(module, wanted)
    if owned is None:
        return True
    uid, gid, mode = owned
    if info is not None and (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (uid, gid, mode):
        return False
    if not module.check_mode:
        if info is None:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.mkdir(path, mode)
        os.chown(path, uid, gid)
        os.chmod(path, mode)
    return True


def text(content: bytes | None) -> str:
    return "" if content is None else content.decode("utf-8", "replace")


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "registry": {"type": "list", "elements": "dict", "default": []},
            "phase": {"type": "list", "elements": "str"},
            "differing": {"type": "list", "elements": "str", "default": []},
            "restore": {"type": "bool", "default": False},
            "files": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": {
                    "name": {"type": "str", "required": True},
                    "path": {"type": "path", "required": True},
                    "present": {"type": "bool", "default": True},
                    "owner": {"type": "str", "default": "root"},
                    "group": {"type": "str", "default": "root"},
                    "mode": {"type": "str", "default": "0644"},
                    "secret": {"type": "bool", "default": False},
                    "content": {"type": "str", "no_log": True},
                    "copy_from": {"type": "path"},
                    "validate": {"type": "str", "default": ""},
                    "directory": {"type": "bool", "default": False},
                },
            },
        },
        supports_check_mode=True,
    )
    changed: list[str] = []
    found: list[str] = []
    diffs: list[dict[str, str]] = []
    for wanted in module.params["files"]:
        path = wanted["path"]
        if wanted["directory"]:
            if directory(module, wanted):
                changed.append(wanted["name"])
            continue
        old, info = current(path)
        if not wanted["present"]:
            if info is not None:
                changed.append(wanted["name"])
                if not module.check_mode:
                    os.unlink(path)
            continue
        if wanted["copy_from"]:
            source = current(wanted["copy_from"])[0]
            if source is None:
                continue
            found.append(wanted["name"])
            content = source
        else:
            content = base64.b64decode(wanted["content"] or "")
        owned = ownership(module, wanted, changed_entries=changed)
        if owned is None:
            changed.append(wanted["name"])
            continue
        uid, gid, mode = owned
        if old == content and info is not None:
            if (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (uid, gid, mode):
                continue
            changed.append(wanted["name"])
            if not module.check_mode:
                os.chown(path, uid, gid)
                os.chmod(path, mode)
            continue
        changed.append(wanted["name"])
        if module._diff and not wanted["secret"]:
            diffs.append({"before_header": path, "after_header": path, "before": text(old), "after": text(content)})
        if not module.check_mode:
            refused = replace_file(path, content, uid, gid, mode, validator(module, wanted["validate"]))
            if refused:
                module.fail_json(msg=f"{path}: the new content was refused, the file is left as it was: {refused}")
    module.exit_json(changed=bool(changed), changed_entries=changed, sources_found=found, diff=diffs)


if __name__ == "__main__":
    main()
