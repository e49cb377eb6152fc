#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Switch an application's current release, record it, prune old ones."""

DOCUMENTATION = r"""
---
module: flask_wsgi_release
short_description: Switch, mark and prune the releases of a flask_wsgi application
author: flask-wsgi project (@flask-wsgi)
description:
  - An application deployed by the flask_wsgi role keeps each release in
    C(<root>/releases/<id>); the symbolic link C(<root>/current) names the
    one served, and mod_wsgi reaches the code, the WSGI script and the
    virtualenv through it.
  - Switching replaces the link with a new one by a rename, so that the path
    names either the whole old or the whole new release, never neither.
  - A history of the switches is kept in O(history), root's only.
options:
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
  source:
    description: Where the release came from (a commit, a content hash), recorded in the history.
    type: str
    default: ""
  good:
    description: Record that the current release passed its health check.
    type: bool
    default: false
  keep:
    description:
      - Remove releases so that this many remain, and the virtualenvs no
        remaining release uses. The current release, the one before it and
        the last good one are always kept. 0 removes nothing.
    type: int
    default: 0
attributes:
  check_mode:
    description: Reports the switch, the mark and the pruning it would make, and makes none.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
"""

EXAMPLES = r"""
- name: Serve the release built for commit 4f2a
  flaskwsgi.deploy.flask_wsgi_release:
    root: /var/www/flaskapp
    history: /var/lib/flask_wsgi/wsgi/releases.json
    release: 4f2a9c1e0b7d-1a2b3c
    source: git 4f2a9c1e0b7d

- name: Go back to the release served before
  flaskwsgi.deploy.flask_wsgi_release:
    root: /var/www/flaskapp
    history: /var/lib/flask_wsgi/wsgi/releases.json
    release: previous
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
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import releases as rel


def main():
    module = AnsibleModule(
        argument_spec={
            "root": {"type": "path", "required": True},
            "history": {"type": "path", "required": True},
            "release": {"type": "str"},
            "source": {"type": "str", "default": ""},
            "good": {"type": "bool", "default": False},
            "keep": {"type": "int", "default": 0},
        },
        supports_check_mode=True,
    )
    params = module.params
    root = params["root"]
    state = rel.read_releases(root, params["history"])
    history = state["history"]
    before = current = state["current"]
    changed = False
    if params["release"]:
        current, error = rel.resolve(params["release"], history, before, state["releases"])
        if error and module.check_mode and params["release"] not in ("previous", "good"):
            # A dry run did not build the release it would switch to.
            current, error = params["release"], ""
        if error:
            module.fail_json(msg=f"flask_wsgi: cannot serve release {params['release']}: {error}", current=before)
        if current != before:
            changed = True
            history = rel.record_switch(history, current, params["source"])
            if not module.check_mode:
                rel.switch(root, current)
    if params["good"] and current and not any(entry["id"] == current and entry.get("good") for entry in history):
        changed = True
        history = rel.mark_good(history, current)
    pruned = []
    if params["keep"] > 0:
        doomed = rel.releases_to_prune(history, state["releases"], current, params["keep"])
        kept = [name for name in state["releases"] if name not in doomed]
        pruned = [os.path.join(root, rel.RELEASES, name) for name in doomed]
        used = rel.venvs_in_use(root, kept)
        venvs = rel.listing(os.path.join(root, rel.VENVS))
        pruned += [os.path.join(root, rel.VENVS, name) for name in venvs if name not in used]
        history = [entry for entry in history if entry["id"] not in doomed]
    if pruned:
        changed = True
    if changed and not module.check_mode:
        for path in pruned:
            rel.remove_tree(path)
        rel.write_history(params["history"], history)
    module.exit_json(changed=changed, current=current, before=before, pruned=pruned, history=history)


if __name__ == "__main__":
    main()
