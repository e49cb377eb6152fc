# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The parts of a deploy a run may be limited to, with Ansible's tags
(--tags, --skip-tags, an AWX job's tags):

- packages: the Debian packages;
- app: the application (its release, files, account, site and modules) and
  the server-wide Apache state;
- tls: the certificates (a self-signed pair, ACME's, a given pair's check);
- lb: the load balancers (their configuration, and taking hosts out of
  rotation and back).

Every task of the roles runs whatever the tags (`always`, the task's part
beside it): each plan action keeps, of its registry and its decisions, the
parts the run selects, so that what a run leaves out is neither written,
nor applied, nor recorded as live. Plain Python, unit-tested.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

Part = Literal["packages", "app", "tls", "lb"]
PARTS: tuple[Part, ...] = ("packages", "app", "tls", "lb")


def selected(run_tags: Iterable[str] | None, skip_tags: Iterable[str] | None) -> list[Part]:
    """The parts a run with RUN_TAGS (--tags; none or "all": every task)
    and SKIP_TAGS (--skip-tags) selects, as Ansible selects tasks tagged
    with a part's name."""
    run, skip = set(run_tags or ["all"]), set(skip_tags or [])
    if "all" in skip or "tagged" in skip:
        return []
    chosen = run & {"all", "tagged"} or None
    return [part for part in PARTS if (chosen or part in run) and part not in skip]


def of_run(task_vars: Mapping[str, Any]) -> list[Part]:
    """The parts the run selects, from an action's TASK_VARS (Ansible's
    ansible_run_tags and ansible_skip_tags)."""
    return selected(task_vars.get("ansible_run_tags"), task_vars.get("ansible_skip_tags"))
