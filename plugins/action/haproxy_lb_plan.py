# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Work out, on the controller, what the haproxy_lb role makes of a load
balancer and what HAProxy must pick up.

The decisions are plugins/plugin_utils/balancer.py; this plugin feeds them
the role's variables, the backend hosts and the host reading, and returns
what they decide as its result, which the role registers (no facts): the
``wanted`` stage as ``__haproxy_lb_wanted``, the ``compare`` stage as
``haproxy_lb_plan``."""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import balancer, checks, parts
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.balancing import backend_address, redirecting_backends
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import changed_entries
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import role_values, template_checksums, truth

WANTED = "__haproxy_lb_wanted"
PLAN = "haproxy_lb_plan"
# Set by the rolling deploy, not the role's input.
NOT_INPUT = (PLAN, "haproxy_lb_rotation")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(("stage", "host", "results", "started", "applied"))

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        stage = self._task.args.get("stage")
        if stage == "wanted":
            values = role_values(self._templar, task_vars, "haproxy_lb_", exclude=NOT_INPUT)
            hosts = list(task_vars.get("groups", {}).get(values["haproxy_lb_backend_group"], []))
            hostvars = task_vars.get("hostvars", {})
            addresses = [backend_address(name, hostvars.get(name, {})) for name in hosts]
            derived = {
                "haproxy_lb_backend_hosts": hosts,
                "haproxy_lb_backend_address": addresses,
                "flask_wsgi_tls_redirect": redirecting_backends(hosts, hostvars, values["haproxy_lb_backend_port"]),
            }
            refused = checks.check(self, "haproxy_lb", task_vars, values=derived)
            if refused.get("failed"):
                return dict(result, changed=False, **refused)
            backends = [{"name": name, "address": address} for name, address in zip(hosts, addresses, strict=True)]
            decided = balancer.wanted(values, backends, parts.of_run(task_vars))
        elif stage == "compare":
            if WANTED not in task_vars:
                msg = f"haproxy_lb_plan: the compare stage reads {WANTED}, which the wanted stage registers."
                return dict(result, failed=True, msg=msg)
            wanted = self._templar.template(task_vars[WANTED])
            # The registry's templated entries do not depend on what the
            # comparison finds: rendered from the wanted state's own.
            registry = [entry.as_dict() for entry in balancer.entries(wanted, False)]
            checksums = template_checksums(self, registry, task_vars)
            decided = balancer.compare(wanted, self._task.args["host"], checksums)
        elif stage == "apply":
            if PLAN not in task_vars:
                msg = f"haproxy_lb_plan: the apply stage reads {PLAN}, which the compare stage registers."
                return dict(result, failed=True, msg=msg)
            compared = self._templar.template(task_vars[PLAN])
            args = self._task.args
            decided = balancer.apply(
                compared["registry"],
                changed_entries(args.get("results") or {}),
                compared["wanted_checksums"],
                # After this run's apply step, HAProxy runs the configuration as written.
                compared["wanted_checksums"] if truth(args.get("applied")) else compared["known_good_checksums"],
                truth(args.get("started")),
            )
        else:
            return dict(result, failed=True, msg="haproxy_lb_plan: stage must be wanted, compare or apply")
        result.update(decided)
        result["changed"] = False
        return result
