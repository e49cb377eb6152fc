# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Work out, on the controller, what the flask_wsgi role makes of a host.

The decisions are plugins/plugin_utils/plan/; this plugin feeds them the
role's variables and returns what they decide as its result, which the role
registers under one name per stage (no facts):

- ``read``: ``flask_wsgi_plan``, in one task: the variables checked, the
  state the host should be in (its ``wanted``, with Apache's layout), the
  host read by one call of flaskwsgi.deploy.host_reading (its
  ``host_reading``), and what differs and what the run does about it; its
  ``deploy_needed`` and ``host_reading`` are what the rolling deploy
  (playbooks/site.yml) reads. The role's vars/main.yml names the first two
  ``__flask_wsgi_wanted`` and ``__flask_wsgi_host``;
- ``venv``: ``__flask_wsgi_venv``; ``apply`` (which also applies what it
  decides, and checks the application): ``__flask_wsgi_apply``;
  ``restored``: ``__flask_wsgi_restored``; ``rollback``:
  ``__flask_wsgi_rollback``.

A later stage reads an earlier one's result from those names."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from ansible import constants as C
from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.daemons import daemon_processes
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import file_checksum
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import applying, checks, parts, plan, writes
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan import preparing, registry
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import (
    role_values,
    system_layout,
    template_checksums,
    truth,
)

STAGES = ("read", "venv", "apply", "restored", "rollback")
LAYOUT_PREFIX = "__flask_wsgi_"
# Where the role registers the results of the stages the later ones read.
WANTED = "__flask_wsgi_wanted"
PLAN = "flask_wsgi_plan"
HOST = "__flask_wsgi_host"
# The longest the role lets a package install take (vars/main.yml).
PACKAGES_TIMEOUT = "__flask_wsgi_packages_timeout"
# What each stage reads of the earlier stages' registered results.
NEEDS = {"venv": (WANTED,), "apply": (WANTED, PLAN, HOST)}
SERVER = "__apache_server_wanted"
READING = "flaskwsgi.deploy.host_reading"
LAYOUT = (
    "packages",
    "apache_sites_available",
    "apache_sites_enabled",
    "apache_mods_enabled",
    "apache_tls_dir",
    "apache_service",
    "apache_conf_available",
    "apache_conf_enabled",
    "acme_dir",
    "certbot_dropin_dir",
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(
        (
            "stage",
            "results",
            "requirements",
            "server_action",
            "prepared",
            "packages",
            "applying",
            "healthcheck",
            "daemons",
            "installed",
            "record_release",
        )
    )

    def _script(self, values: dict[str, Any]) -> bytes:
        """The WSGI script, bytes: written for the entry point, or the file
        flask_wsgi_script_src names (found like any copy src)."""
        if values["flask_wsgi_entry_point"]:
            return plan.entry_point_script(values["flask_wsgi_entry_point"]).encode()
        with open(self._find_needle("files", values["flask_wsgi_script_src"]), "rb") as handle:
            script: bytes = handle.read()
        return script

    def _archive(self, values: dict[str, Any], release: dict[str, Any]) -> str:
        """The release packed in the controller's temporary directory,
        removed when the run ends."""
        handle, path = tempfile.mkstemp(prefix="flask-wsgi-release-", suffix=".tar", dir=C.DEFAULT_LOCAL_TMP)
        os.close(handle)
        return plan.release_archive(path, values, self._script(values), release["venv"])

    def _wanted(self, values: dict[str, Any], task_vars: dict[str, Any]) -> dict[str, Any]:
        """The state the host should be in, with Apache's layout."""
        recorder = file_checksum(self._find_needle("files", "daemon_record.py"))
        start = file_checksum(self._find_needle("files", "daemon_start.py"))
        system = {name.removeprefix(LAYOUT_PREFIX): value for name, value in system_layout(self).items()}
        layout = {name: system[name] for name in LAYOUT}
        wanted = plan.wanted(values, layout, recorder, self._script(values), start, parts.of_run(task_vars))
        return dict(wanted, **system)

    def _compare(
        self, values: dict[str, Any], wanted: dict[str, Any], host: dict[str, Any], task_vars: dict[str, Any]
    ) -> dict[str, Any]:
        """HOST (the reading) against WANTED; a refusal as a failed result."""
        # What the vhost depends on in the host (its CPUs, the daemons'
        # home), then the vhost rendered with it: the content the deployed
        # files should have. The vhost reads both from flask_wsgi_plan.
        found: dict[str, Any] = {
            "processes": daemon_processes(values["flask_wsgi_processes"], host["cpus"]),
            "daemon_home": plan.daemon_home(values, host),
        }
        rendering = dict(task_vars, **{PLAN: found, WANTED: wanted})
        checksums = template_checksums(self, wanted["registry"], rendering)
        compared = plan.compare(values, {name: wanted[name] for name in plan.COMPARED}, host, checksums)
        refusal = plan.refusal(values, host, compared)
        if refusal:
            return {"failed": True, "msg": refusal}
        decided = dict(found, wanted_checksums=checksums, **compared)
        if decided["release_wanted"]["build"]:
            # The code directory (when there is one), the WSGI script and
            # the link to the virtualenv, packed as the role deploys them.
            decided["release_archive"] = self._archive(values, wanted["release"])
        # What the rolling deploy (playbooks/site.yml) reads: whether to take
        # the host out of the load balancers (only a host that will change
        # is).
        decided["deploy_needed"] = not decided["converged"]
        return decided

    def _read(self, values: dict[str, Any], task_vars: dict[str, Any]) -> dict[str, Any]:
        """The variables checked, the wanted state, the host read in one
        module call, and the comparison: one task."""
        refused = checks.check(self, "flask_wsgi", task_vars, types=True)
        if refused.get("failed"):
            return dict(refused)
        wanted = self._wanted(values, task_vars)
        server = self._templar.template(task_vars.get(SERVER) or {})
        host: dict[str, Any] = self._execute_module(
            module_name=READING, module_args=plan.reading_args(values, wanted, server), task_vars=task_vars
        )
        if host.get("failed") or host.get("unreachable"):
            return host
        host = {name: value for name, value in host.items() if not name.startswith("_ansible") and name != "invocation"}
        if values["flask_wsgi_state"] == "absent":
            removal = plan.removal(wanted, host)
            decided: dict[str, Any] = dict(removal, deploy_needed=bool(removal["removing"]))
        else:
            decided = self._compare(values, wanted, host, task_vars)
            if decided.get("failed"):
                return decided
        # The later stages and tasks read the wanted state and the reading
        # from here (vars/main.yml names them); apache_server's compare
        # takes the reading, which covered its paths too.
        return dict(decided, wanted=wanted, host_reading=host)

    def _prepare(self, values: dict[str, Any], args: dict[str, Any], task_vars: dict[str, Any]) -> dict[str, Any]:
        """Prepare the host while its packages install: the daemon account
        (ansible.builtin.group and user), the registry's directories that
        differ and the account's mark (flaskwsgi.deploy.managed_files),
        then wait for the install (flaskwsgi.deploy.job_result) and, when
        it ran, read the host again - Debian's packages enable their default site and
        modules. Each step one module call, in this one task; the result is
        the plan again, noted as prepared, with the account's and the
        directories' changes (changed_entries)."""
        planned = self._templar.template(task_vars[PLAN])
        run = applying.module_runner(self, task_vars)
        packages = args.get("packages") or {}
        timeout = int(self._templar.template(task_vars.get(PACKAGES_TIMEOUT, 1800)))
        steps: dict[str, Any] = {}

        def failed(prepare: list[applying.Step]) -> dict[str, Any]:
            """Run PREPARE's steps; the failure of the first that fails, or {}."""
            for name, module, module_args in prepare:
                steps[name] = applying.clean(run(module, module_args))
                if steps[name].get("failed") or steps[name].get("unreachable"):
                    return dict(steps[name], failed=True, msg=preparing.failure(name, steps[name]), prepare=steps)
            return {}

        failure = failed(preparing.account_steps(values, planned))
        if failure:
            return failure
        uid = preparing.account_uid(planned, steps.get("user", {}))
        failure = failed(preparing.host_steps(values, planned, uid, packages, timeout))
        if failure:
            return failure
        if preparing.reread(packages):
            decided = self._read(values, task_vars)
            if decided.get("failed") or decided.get("unreachable"):
                return decided
        else:
            decided = planned
        return dict(decided, **preparing.prepared(steps))

    def _apply(self, args: dict[str, Any], task_vars: dict[str, Any], registered: Any) -> dict[str, Any]:
        """What the running server must pick up, applied
        (plugin_utils/applying.py, the same steps as the apache_apply
        action), then the application's health check."""
        reading = self._templar.template(task_vars[HOST])
        daemons_healthy = reading.get("healthcheck", {}).get("daemons", {}).get("healthy", True)
        entries = registry.as_entries(registered(WANTED, "registry"))
        needed = plan.apply_action(
            entries,
            args.get("results") or {},
            registered(PLAN, "wanted_checksums"),
            registered(PLAN, "known_good_checksums"),
            registered(PLAN, "release_wanted")["pending"],
            not daemons_healthy,
        )
        # With the server-wide changes the apache_server role left to this step.
        action = registry.strongest([needed, args.get("server_action") or "none"])
        if not truth(args.get("installed", True)):
            # Check mode on a fresh host: Apache is only pretended installed.
            return {"changed": action != "none", "action": action, "applied": "none", "steps": {}}
        # Once it answers: the registry's record files that differ (the
        # last good copies, the application's record), then the release
        # marked good.
        record: list[applying.Step] = []
        files = writes.phase_files(self, entries, "record", registered(PLAN, "differing"), task_vars)
        if files:
            record.append(("record", "flaskwsgi.deploy.managed_files", {"files": files}))
        if args.get("record_release"):
            record.append(
                ("release", "flaskwsgi.deploy.flask_wsgi_release", dict(args["record_release"], step="record"))
            )
        spec = applying.applying_spec(
            action, args.get("applying") or {}, args.get("healthcheck"), args.get("daemons"), record
        )
        return applying.apply(applying.module_runner(self, task_vars), spec, bool(self._play_context.check_mode))

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self._task.args
        stage = args.get("stage")
        if stage not in STAGES:
            return dict(result, failed=True, msg=f"flask_wsgi_plan: stage must be one of {', '.join(STAGES)}")
        missing = [name for name in NEEDS.get(stage, ()) if name not in task_vars]
        if missing:
            return dict(
                result,
                failed=True,
                msg=f"flask_wsgi_plan: the {stage} stage reads {', '.join(missing)}, which the role registers at an "
                "earlier stage: run the role's read entry point first.",
            )

        def registered(variable: str, name: str) -> Any:
            """NAME in the result an earlier stage registered as VARIABLE."""
            return self._templar.template(task_vars[variable])[name]

        def wanted_value(name: str) -> Any:
            return registered(WANTED, name)

        values: dict[str, Any] = {}
        decided: dict[str, Any]
        # The apply and rollback stages read only what earlier stages registered.
        if stage in ("read", "venv"):
            values = role_values(self._templar, task_vars, "flask_wsgi_", (PLAN,))
            values["inventory_hostname"] = task_vars.get("inventory_hostname", "")
        if stage == "read" and truth(args.get("prepared")):
            if PLAN not in task_vars:
                return dict(result, failed=True, msg="flask_wsgi_plan: prepared marks the read stage's own result.")
            decided = self._prepare(values, args, task_vars)
            if decided.get("failed") or decided.get("unreachable"):
                return dict(result, **decided)
        elif stage == "read":
            decided = self._read(values, task_vars)
            if decided.get("failed") or decided.get("unreachable"):
                return dict(result, changed=False, **decided)
            decided["prepared"] = False
        elif stage == "venv":
            # A release from git: its requirements are known once it is checked out.
            if values["flask_wsgi_app_git_repo"]:
                checksum = (args.get("requirements") or {}).get("stat", {}).get("checksum", "")
                venv = plan.venv_id(values, checksum)
            else:
                venv = wanted_value("release")["venv"]
            decided = plan.venv_paths(wanted_value("venvs_dir"), venv)
        elif stage == "restored":
            results = args.get("results") or {}
            decided = {"reload": plan.rollback_reloads(results.get("restore"), str(results.get("applied") or "none"))}
        elif stage == "rollback":
            results = args.get("results") or {}
            decided = {
                "failure": plan.failure_text(results.get("failed") or {}),
                "outcome": plan.rollback_outcome(
                    plan.changed(results.get("site_disabled")),
                    truth(results.get("known_good_found")),
                    results.get("health") or {"skipped": True},
                ),
            }
        else:
            decided = self._apply(args, task_vars, registered)
        if stage == "apply" or (stage == "read" and decided["prepared"]):
            # The steps that change the host report what they did.
            return dict(result, **decided)
        result.update(decided)
        result["changed"] = False
        return result
