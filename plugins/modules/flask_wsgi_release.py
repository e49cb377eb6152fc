#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Switch an application's current release, record it, prune old ones."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: flask_wsgi_release
short_description: Unpack, switch, check, mark and prune the releases of a flask_wsgi application (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - An application deployed by the flask_wsgi role keeps each release in
    C(<root>/releases/<id>); the symbolic link C(<root>/current) names the
    one served, and mod_wsgi reaches the code, the WSGI script and the
    virtualenv through it.
  - Switching replaces the link with a new one by a rename, so that the path
    names either the whole old or the whole new release, never neither.
  - A history of the switches is kept in O(history), root's only.
  - Each call has one O(step), one clear shape per purpose. C(serve), a
    new release in one call to the host, does in this order what it is
    given - unpack a release sent from the controller (O(archive)), switch
    to it (O(release)), restart the daemons so that they load it
    (O(daemons)), wait for it to pass its health check (O(healthcheck)),
    record that it passed and prune old releases (O(keep)).
options:
  step:
    description:
      - C(unpack) unpacks O(archive) as O(release) and serves nothing, for a
        build that goes on before the switch (a virtualenv, release commands).
      - C(switch) serves O(release), recording O(source).
      - C(serve) unpacks O(archive) when given, serves O(release), restarts
        O(daemons), waits for O(healthcheck), records that the release passed
        and prunes to O(keep).
      - C(record) records that the current release passed, and prunes to O(keep).
      - C(restore) serves the release O(release) names again (C(good) or C(previous)).
      - An option the step does not take is refused.
    type: str
    required: true
    choices: [unpack, switch, serve, record, restore]
  root:
    description: The application directory, which holds C(releases/) and C(current).
    type: path
    required: true
  history:
    description: The JSON file the switches are recorded in.
    type: path
    required: true
  release:
    description:
      - The release to serve. An id (a directory in C(releases/)),
        C(previous) for the one served before the current one, or C(good)
        for the last one that passed its health check.
      - Left out, the current release stays.
    type: str
  archive:
    description:
      - A tar archive on the controller, sent to the host and unpacked as
        C(<root>/releases/<release>) before the switch. It is unpacked beside
        and then renamed into place, so the release directory never holds a
        half-unpacked release.
      - Requires an id in O(release).
    type: path
  daemons:
    description:
      - After the switch, restart this mod_wsgi daemon group's processes
        gracefully, as P(flaskwsgi.deploy.flask_wsgi_daemons#module) does,
        so that they load the release served.
    type: dict
    suboptions:
      display_name:
        description: The group's C(display-name).
        type: str
        required: true
      user:
        description: The account the daemons run as.
        type: str
        required: true
      script:
        description: The WSGI script of the group.
        type: path
        required: true
  source:
    description: Where the release came from (a commit, a content hash), recorded in the history.
    type: str
    default: ""
  keep:
    description:
      - Remove releases so that this many remain, and the virtualenvs no
        remaining release uses. The current release, the one before it and
        the last good one are always kept. 0 removes nothing.
    type: int
    default: 0
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
  - flaskwsgi.deploy.healthcheck
attributes:
  check_mode:
    description:
      - Reports the switch, the mark and the pruning it would make, and
        makes none; sends no archive, restarts nothing and requests nothing.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
"""

EXAMPLES = r"""
- name: Serve the release built for commit 4f2a
  flaskwsgi.deploy.flask_wsgi_release:
    step: switch
    root: /var/www/flaskapp
    history: /var/lib/flask_wsgi/wsgi/releases.json
    release: 4f2a9c1e0b7d-1a2b3c
    source: git 4f2a9c1e0b7d

- name: Go back to the release served before
  flaskwsgi.deploy.flask_wsgi_release:
    step: restore
    root: /var/www/flaskapp
    history: /var/lib/flask_wsgi/wsgi/releases.json
    release: previous

- name: Unpack a new release, serve it, and keep it if it answers
  flaskwsgi.deploy.flask_wsgi_release:
    step: serve
    root: /var/www/flaskapp
    history: /var/lib/flask_wsgi/wsgi/releases.json
    release: 9c1e0b7d4f2a
    archive: /tmp/release-9c1e0b7d4f2a.tar
    daemons: {display_name: flaskapp, user: wsgi, script: /var/www/flaskapp/current/flaskapp.wsgi}
    healthcheck: {url: "http://127.0.0.1/app/", wait: 10}
    keep: 5
"""

RETURN = r"""
current:
  description: The release served after this call.
  returned: always
  type: str
before:
  description: The release served before this call ("" when there was none).
  returned: always
  type: str
pruned:
  description: The releases and virtualenvs removed, as paths.
  returned: always
  type: list
  elements: str
history:
  description: The switches, oldest first, each with C(id), C(source), C(switched) and C(good).
  returned: always
  type: list
  elements: dict
unpacked:
  description: Whether O(archive) was unpacked.
  returned: always
  type: bool
pids:
  description: The daemon processes asked to restart.
  returned: when O(daemons) is given
  type: list
  elements: int
healthcheck:
  description: The last answer of the health check, as P(flaskwsgi.deploy.host_reading#module) returns it.
  returned: when O(healthcheck) is given, not in check mode
  type: dict
"""

import os
import tarfile
from typing import Any

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import releases as rel
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.daemons import GROUP_OPTIONS, restart
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.health import (
    HEALTHCHECK_SPEC,
    healthcheck_waiting,
    unhealthy_message,
)


def prune(
    root: str, history: list[dict[str, Any]], existing: list[str], current: str, keep: int
) -> tuple[list[str], list[dict[str, Any]]]:
    """The releases beyond KEEP and the virtualenvs no remaining release
    uses, as paths, and HISTORY without the releases removed."""
    doomed = rel.releases_to_prune(history, existing, current, keep)
    kept = [name for name in existing if name not in doomed]
    pruned = [os.path.join(root, rel.RELEASES, name) for name in doomed]
    used = rel.venvs_in_use(root, kept)
    pruned += [
        os.path.join(root, rel.VENVS, name) for name in rel.listing(os.path.join(root, rel.VENVS)) if name not in used
    ]
    return pruned, [entry for entry in history if entry["id"] not in doomed]


# The options each step takes, besides root and history.
STEPS = {
    "unpack": ("release", "archive"),
    "switch": ("release", "source"),
    "serve": ("release", "source", "archive", "daemons", "healthcheck", "keep"),
    "record": ("keep",),
    "restore": ("release",),
}
REQUIRED = [
    ("step", "unpack", ("release", "archive")),
    ("step", "switch", ("release",)),
    ("step", "serve", ("release",)),
    ("step", "restore", ("release",)),
]
DEFAULTS = {"source": "", "keep": 0}


def refused_options(params: dict[str, Any]) -> list[str]:
    """The options given that PARAMS' step does not take."""
    taken = ("root", "history", "step", *STEPS[params["step"]])
    return [
        name
        for name, value in params.items()
        if name not in taken and value is not None and value != DEFAULTS.get(name)
    ]


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "step": {"type": "str", "required": True, "choices": list(STEPS)},
            "root": {"type": "path", "required": True},
            "history": {"type": "path", "required": True},
            "release": {"type": "str"},
            "source": {"type": "str", "default": ""},
            "archive": {"type": "path"},
            "daemons": {"type": "dict", "options": GROUP_OPTIONS},
            "healthcheck": HEALTHCHECK_SPEC,
            "keep": {"type": "int", "default": 0},
        },
        required_if=REQUIRED,
        supports_check_mode=True,
    )
    params = module.params
    refused = refused_options(params)
    if refused:
        module.fail_json(msg=f"flask_wsgi_release: step {params['step']} does not take {', '.join(refused)}")
    step = params["step"]
    root, check_mode = params["root"], module.check_mode
    result: dict[str, Any] = {"changed": False, "unpacked": False}
    if params["archive"] and not check_mode:
        try:
            rel.unpack(root, params["release"], params["archive"])
        except (OSError, ValueError, tarfile.TarError) as error:
            module.fail_json(msg=f"flask_wsgi: could not unpack release {params['release']}: {error}")
        result.update(changed=True, unpacked=True)
    state = rel.read_releases(root, params["history"])
    history = state["history"]
    before = current = state["current"]
    if step in ("switch", "serve", "restore"):
        current, problem = rel.resolve(params["release"], history, before, state["releases"])
        if problem and check_mode and params["release"] not in ("previous", "good"):
            # A dry run did not build the release it would switch to.
            current, problem = params["release"], ""
        if problem:
            module.fail_json(msg=f"flask_wsgi: cannot serve release {params['release']}: {problem}", current=before)
        if current != before:
            result["changed"] = True
            history = rel.record_switch(history, current, params["source"])
            if not check_mode:
                rel.switch(root, current)
                # Written now: a release that fails the health check below
                # is on record as switched to and not good.
                rel.write_history(params["history"], history)
    result.update(current=current, before=before, history=history)
    if params["daemons"]:
        result["changed"] = True
        daemons = params["daemons"]
        try:
            result["pids"] = [] if check_mode else restart(daemons["display_name"], daemons["user"], daemons["script"])
        except (LookupError, OSError) as error:
            module.fail_json(msg=f"flask_wsgi: could not restart the daemons: {error}", **result)
    if params["healthcheck"] and not check_mode:
        result["healthcheck"] = healthcheck_waiting(params["healthcheck"])
        if not result["healthcheck"]["healthy"]:
            module.fail_json(msg=unhealthy_message(params["healthcheck"], result["healthcheck"]), **result)
    marked = False
    if (
        step in ("serve", "record")
        and current
        and not any(entry["id"] == current and entry.get("good") for entry in history)
    ):
        marked = True
        history = rel.mark_good(history, current)
    pruned: list[str] = []
    if params["keep"] > 0:
        pruned, history = prune(root, history, state["releases"], current, params["keep"])
    if marked or pruned:
        result["changed"] = True
        if not check_mode:
            for path in pruned:
                rel.remove_tree(path)
            rel.write_history(params["history"], history)
    module.exit_json(pruned=pruned, **dict(result, history=history))


if __name__ == "__main__":
    main()
