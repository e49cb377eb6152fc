# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The one way a change reaches Apache, for every role and every step
(deploy, ACME, rollback, removal, the server-wide state): a configtest, the
single action needed, the note of pending server-wide changes cleared, and
the health of what must answer afterwards - in one task, each step one
call of a well-kept module on the host.

The action plugins flaskwsgi.deploy.apache_apply (the apache_server role's
apply entry point) and flaskwsgi.deploy.flask_wsgi_plan (its apply stage)
both run `apply`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypedDict, cast

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import PICK_UPS

# A module run on the host: its name and arguments, its result.
RunModule = Callable[[str, dict[str, Any]], dict[str, Any]]
# A step to run: its name, the module, its arguments.
Step = tuple[str, str, dict[str, Any]]

SERVER_STATES = {"reload": "reloaded", "restart": "restarted"}


class Applying(TypedDict, total=False):
    """What to apply, and what must answer after it.

    action: one of registry.PICK_UPS; ctl, service: apache2ctl and the
    unit; note: the file of pending server-wide changes to clear once they
    are live ("" for none); apps_dir, exclude, require, wait, after: the
    host's other applications that answered before and must answer again
    after a reload or restart (healthcheck's apps); healthcheck: the
    application's own health check, asked whatever the action; daemons:
    flask_wsgi_daemons' arguments, for the "daemons" action; record: the
    steps that record what is live, once it answers."""

    action: str
    ctl: str
    service: str
    note: str
    apps_dir: str
    exclude: str
    require: list[str]
    wait: float
    after: str
    healthcheck: dict[str, Any]
    daemons: dict[str, Any]
    record: list[Step]


def module_runner(action: Any, task_vars: dict[str, Any]) -> RunModule:
    """RunModule for an action plugin (ACTION): each module run on the task's host."""

    def run(name: str, args: dict[str, Any]) -> dict[str, Any]:
        executed: dict[str, Any] = action._execute_module(module_name=name, module_args=args, task_vars=task_vars)
        return executed

    return run


def refusal(spec: Mapping[str, Any]) -> str:
    """What is wrong with SPEC, "" when nothing is."""
    action = spec.get("action", "none")
    if action not in PICK_UPS:
        return f"action must be one of {', '.join(PICK_UPS)}, not {action!r}"
    if action == "daemons" and not spec.get("daemons"):
        return "the daemons action needs the daemons to restart"
    return ""


def said(result: Mapping[str, Any], default: str = "no reason given") -> str:
    """What a module's failed result said: its error output, else its
    output, else its message; DEFAULT when it said nothing."""
    for key in ("stderr", "stdout", "msg"):
        text = str(result.get(key) or "").strip()
        if text:
            return text
    return default


def clean(result: Mapping[str, Any]) -> dict[str, Any]:
    """A module's result without Ansible's own keys."""
    return {key: value for key, value in result.items() if not key.startswith("_ansible") and key != "invocation"}


def health_args(spec: Applying, reached_server: bool) -> dict[str, Any]:
    """The health check's arguments: the application's own, and the other
    applications after a reload or restart; {} when there is nothing to ask."""
    args: dict[str, Any] = {}
    if spec.get("healthcheck"):
        args["healthcheck"] = spec["healthcheck"]
    if reached_server and spec.get("require"):
        args["apps"] = {
            "dir": spec.get("apps_dir", ""),
            "exclude": spec.get("exclude", ""),
            "require": list(spec["require"]),
            "wait": float(spec.get("wait", 30)),
            "after": spec.get("after") or f"Apache's {spec.get('action')}",
        }
    return args


def applying_spec(
    action: str,
    server: Mapping[str, Any],
    healthcheck: Mapping[str, Any] | None,
    daemons: Mapping[str, Any] | None,
    record: list[Step] | None = None,
) -> Applying:
    """An application deploy's spec: ACTION on SERVER (ctl, service, note,
    apps_dir, exclude - the application's site -, require, wait), the
    application's HEALTHCHECK after it ({} or None for none), its DAEMONS
    to restart for new code, and the steps that RECORD the deployment."""
    spec = cast(Applying, {name: value for name, value in server.items() if name in Applying.__annotations__})
    spec["action"] = action
    spec.setdefault("after", f"Apache's {action} for {server.get('exclude') or 'the application'}")
    if healthcheck:
        spec["healthcheck"] = dict(healthcheck)
    if daemons:
        spec["daemons"] = dict(daemons)
    if record:
        spec["record"] = list(record)
    return spec


def apply(run: RunModule, spec: Applying, check_mode: bool) -> dict[str, Any]:
    """Apply SPEC with RUN: configtest, then the restart or graceful
    reload, or the daemons' restart; the note cleared; then one health
    check of the application and of the others that must answer; then the
    record steps.

    Returns the steps' results (steps), the action asked (action) and the
    one that reached the running server (applied: "none" when the
    configtest refused, so a rollback knows Apache never loaded the
    configuration); a failed step fails the whole, its message first
    naming the step. In check mode the configtest, the health check and
    the record are not run (there may be no Apache yet, and nothing new is
    live), and the rest only reports."""
    action = spec.get("action", "none")
    steps: dict[str, Any] = {}
    result: dict[str, Any] = {"changed": False, "action": action, "applied": "none", "steps": steps}
    refused = refusal(spec)
    if refused:
        return dict(result, failed=True, msg=f"apply: {refused}")

    def step(name: str, module: str, args: dict[str, Any], changes: bool = True) -> bool:
        """Run one step (a check when not CHANGES); whether it failed."""
        steps[name] = clean(run(module, args))
        if not changes:
            steps[name]["changed"] = False
        result["changed"] = result["changed"] or bool(steps[name].get("changed"))
        return bool(steps[name].get("failed") or steps[name].get("unreachable"))

    def failure(name: str, words: str) -> dict[str, Any]:
        return dict(result, failed=True, failed_step=name, msg=f"{words}: {said(steps[name])}")

    if action in SERVER_STATES:
        ctl = spec.get("ctl") or "apache2ctl"
        if not check_mode and step("configtest", "ansible.legacy.command", {"argv": [ctl, "configtest"]}, False):
            return failure("configtest", "Apache refuses the new configuration (configtest)")
        # Past the configtest, the action reaches the running server, even if it fails.
        result["applied"] = action
        server = {"name": spec.get("service") or "apache2", "state": SERVER_STATES[action]}
        if step("server", "ansible.legacy.service", server):
            return failure("server", f"Apache's {action} failed")
    elif action == "daemons":
        result["applied"] = action
        if step("daemons", "flaskwsgi.deploy.flask_wsgi_daemons", dict(spec.get("daemons") or {})):
            return failure("daemons", "The daemon processes did not restart")
    if spec.get("note") and step("note", "ansible.legacy.file", {"path": spec["note"], "state": "absent"}):
        return failure("note", "The note of what Apache must pick up was not cleared")
    checking = {} if check_mode else health_args(spec, result["applied"] in SERVER_STATES)
    if checking and step("health", "flaskwsgi.deploy.healthcheck", checking, False):
        return failure("health", "The health check failed")
    for name, module, args in [] if check_mode else spec.get("record") or []:
        if step(name, module, args):
            return failure(name, "What is live could not be recorded")
    # The registry entries the steps wrote, by name.
    written = [name for done in steps.values() for name in done.get("changed_entries") or []]
    return dict(result, changed_entries=written) if written else result
