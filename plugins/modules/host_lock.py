#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Take or release the host's lock for a run's changing part."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: host_lock
short_description: Take or release the host's lock, so that two runs never change a host at once (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - The roles hold this lock on the host for their changing part. A second
    run (another operator, AWX and a laptop) waits for it, up to O(wait)
    seconds, then fails, naming who holds it. Nothing was changed by the run
    that fails.
  - Each release counts one change on the host. The host reading
    (M(flaskwsgi.deploy.host_reading) with O(flaskwsgi.deploy.host_reading#module:lock))
    returns the count; given as O(seen), it lets a run that got the lock after
    another run changed the host since its reading stop before changing
    anything, since what it decided is out of date.
  - The owner is the run. The action plugin names it by the controller's
    user, host and C(ansible-playbook) process, so every task of one run
    holds the same lock and a role can take it again within the run.
  - The lock lives in C(/run/lock/flaskwsgi.deploy), which a reboot
    empties. A lock held for more than two hours was left by a run that died,
    and is taken over.
  - Check mode takes and releases the lock as a real run does; the roles do
    not take it in check mode.
options:
  state:
    description: C(present) takes the lock (waiting for it); C(absent) releases it if this run holds it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Seconds to wait for another run's lock before failing.
    type: int
    default: 600
  seen:
    description: The change count the run's host reading returned; without it, no out-of-date check.
    type: int
  variable:
    description: The variable that sets O(wait), named by the failure message.
    type: str
    default: wait
  abandoned:
    description:
      - An owner known to have ended without releasing the lock (the action
        plugin gives a run of the same controller whose process is gone); its
        lock is taken over.
    type: str
  owner:
    description: The run holding the lock. The action plugin sets it; a value given here is replaced.
    type: str
    required: true
  host:
    description: The host's name in messages. The action plugin sets it to the inventory name.
    type: str
    default: the host
attributes:
  action:
    description: The action plugin names the run as the lock's owner.
    support: full
  check_mode:
    description: Takes and releases the lock as a real run does.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
"""

EXAMPLES = r"""
- name: Change the host, holding its lock
  block:
    - name: Take the host's lock
      flaskwsgi.deploy.host_lock:
        wait: 300
        seen: "{{ reading.lock.count }}"

    - name: Change something
      ansible.builtin.command: /bin/true
      changed_when: true
  always:
    - name: Release the host's lock
      flaskwsgi.deploy.host_lock:
        state: absent
"""

RETURN = r"""
holder:
  description: C(owner) and C(since) (seconds since the epoch) of the lock's holder, this run's once taken.
  returned: when O(state=present)
  type: dict
waited:
  description: Seconds the run waited for the lock.
  returned: when O(state=present)
  type: float
released:
  description: Whether this run held the lock it released.
  returned: when O(state=absent)
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import lock


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
            "wait": {"type": "int", "default": 600},
            "seen": {"type": "int"},
            "variable": {"type": "str", "default": "wait"},
            # Set by the action plugin.
            "owner": {"type": "str", "required": True},
            "host": {"type": "str", "default": "the host"},
            "abandoned": {"type": "str"},
        },
        supports_check_mode=True,
    )
    result = lock.apply(module.params)
    if result.get("failed"):
        module.fail_json(**{key: value for key, value in result.items() if key != "failed"})
    module.exit_json(**result)


if __name__ == "__main__":
    main()
