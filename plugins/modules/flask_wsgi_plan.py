#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The documentation of the flask_wsgi_plan action, which runs on the controller."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: flask_wsgi_plan
short_description: Work out what the flask_wsgi role makes of a host and what a run applies (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - The decisions of the role P(flaskwsgi.deploy.flask_wsgi#role), in tested
    Python (C(plugins/plugin_utils/plan/)); the role calls this action at
    each step and registers its result. It reads the role's variables as
    the play sees them. Only two stages reach the host - C(read), with one
    call of P(flaskwsgi.deploy.host_reading#module) (and, with O(prepared),
    the modules that prepare the host), and C(apply), with the modules
    that apply a change and check the application.
  - It sets no facts. The role registers each stage's result under one
    name, and the later stages and tasks read it from there -
    C(read) as C(flask_wsgi_plan) (the role's C(vars/main.yml) names its
    C(wanted) C(__flask_wsgi_wanted) and its C(host_reading)
    C(__flask_wsgi_host)), C(venv) as C(__flask_wsgi_venv), C(apply) as
    C(__flask_wsgi_apply), C(restored) as C(__flask_wsgi_restored) and
    C(rollback) as C(__flask_wsgi_rollback).
options:
  stage:
    description:
      - C(read), in one task, first checks the role's variables (their
        types against the role's argument specs, its rules, the files and
        directories it copies from the controller) and fails naming each one
        refused, before the host is touched. Then it works out every path
        the role manages with the state it should be in, the packages, the
        Apache modules and the health check (C(wanted)); reads the host in
        one call (C(host_reading)), with the server-wide paths of the
        P(flaskwsgi.deploy.apache_server#role) role's plan when it ran
        before; sets what the vhost takes from the host (the daemon
        processes for C(auto), the daemons' home) and renders the vhost
        with it; and compares. It sets what differs, the account verdict
        and whether the host is already as it should be; when a release must
        be built, it packs the release on the controller
        (C(release_archive)). With C(flask_wsgi_state=absent), it reads and
        sets what is left of the application to remove.
      - C(venv) sets the virtualenv a release's requirements get, from
        the C(stat) result of its requirements file, for a release from git.
      - C(apply), after the changes, works out C(action), what the
        running server must pick up (C(none), C(daemons), C(reload) or
        C(restart)), from the tasks' O(results) and O(server_action), and
        applies it the way M(flaskwsgi.deploy.apache_apply) does (a
        configtest, then the restart or graceful reload on O(applying), or
        the restart of O(daemons)), then asks the application
        (O(healthcheck)) and the other applications that must still
        answer. Returns C(applied), what reached the running server.
      - C(restored), in a rollback, returns C(reload), whether Apache must
        load the restored configuration - only when this run's apply step
        got past its configtest - from O(results).
      - C(rollback) returns C(outcome), the rollback's result in words, and
        C(failure), what the failed task said, from O(results).
    type: str
    required: true
    choices: [read, venv, apply, restored, rollback]
  prepared:
    description:
      - For C(read) once the role started installing the missing packages -
        prepares the host, each step one module call - the daemon group and
        user when they differ (M(ansible.builtin.group),
        M(ansible.builtin.user)), the directories that differ
        (M(flaskwsgi.deploy.managed_files)), then waits for the install
        (M(flaskwsgi.deploy.job_result)) and, when packages were installed,
        reads the host again. Sets C(prepared) in the result, which the
        role's tasks read so as not to prepare it twice in one run of the
        role, and C(changed_entries).
    type: bool
    default: false
  packages:
    description: With O(prepared), the registered result of the install started in the background.
    type: dict
  results:
    description: Registered task results by name, for C(apply), C(restored) and C(rollback).
    type: dict
  server_action:
    description:
      - For C(apply), what the server-wide changes the P(flaskwsgi.deploy.apache_server#role) role left to
        this step need (C(none), C(reload) or C(restart)).
    type: str
  applying:
    description:
      - For C(apply), Apache - C(ctl), C(service), C(note) (the server-wide
        note to clear), C(apps_dir), C(exclude) (the application's site),
        C(require) and C(wait) (the other applications to ask again).
    type: dict
  healthcheck:
    description: For C(apply), the application's health check, asked after the change; empty for none.
    type: dict
  daemons:
    description:
      - For C(apply), the daemon processes to restart for new code
        (M(flaskwsgi.deploy.flask_wsgi_daemons)'s options).
    type: dict
  installed:
    description:
      - For C(apply), whether Apache is installed; in check mode on a fresh
        host it is only pretended, and nothing is applied.
    type: bool
    default: true
  requirements:
    description: The C(stat) result of a release's requirements file, for C(venv) with a release from git.
    type: dict
attributes:
  check_mode:
    description: Can run in check mode; the modules it runs on the host run in check mode too.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
  action:
    description:
      Runs as an action plugin on the controller; the C(read) stage runs one reading module on the host, and the
      modules that prepare it; the C(apply) stage the modules that apply a change.
    support: full
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
"""

EXAMPLES = r"""
- name: Read the host and compare it with the state it should be in
  flaskwsgi.deploy.flask_wsgi_plan:
    stage: read
  register: flask_wsgi_plan
"""

RETURN = r"""
deploy_needed:
  description:
    - Whether the host differs from the state it should be in, or (with
      C(flask_wsgi_state=absent)) has something left to remove. The rolling deploy reads
      it as C(flask_wsgi_plan.deploy_needed) to take the host out of the
      load balancers.
  returned: stage is read
  type: bool
prepared:
  description: Whether this run of the role prepared the host (O(prepared)).
  returned: stage is read
  type: bool
wanted:
  description: The state the host should be in, with Apache's layout.
  returned: stage is read
  type: dict
host_reading:
  description: The result of the host reading the stage compared, which the web server role's comparison reads too.
  returned: stage is read
  type: dict
differing:
  description: The managed paths that differ from the state they should be in.
  returned: stage is read
  type: list
  elements: str
action:
  description: What the running server must pick up, C(none), C(daemons), C(reload) or C(restart).
  returned: stage is apply
  type: str
applied:
  description: What reached the running server - C(none) when the configtest refused the configuration.
  returned: stage is apply
  type: str
outcome:
  description: The rollback's result in words.
  returned: stage is rollback
  type: str
"""
