# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What the flask_wsgi role makes of a host, and what a run must apply.

Three steps, each a plain function of plain data, unit-tested without a host:

- wanted(values) (wanted_state.py, with paths.py, release.py and
  certificates.py): from the role's variables (and Apache's layout), every
  path the role manages with the state it should be in, the packages, the
  modules and the names the tasks use. Worked out on the controller before
  the host is read.
- compare(values, wanted, host, checksums) (differences.py): the host
  reading against that: which parts differ, what the account may be,
  whether the host is already as it should be. Every task that changes a
  part runs only when its part is named here; no task works this out again.
- registry.entries(...) (registry.py): everything the role manages on a
  host, one entry a thing; wanted() derives the paths the host reading
  compares from it, and the writes, the apply and the rollback use it.
- apply_action(...) (apply.py): after the tasks ran, what the running server
  must pick up: nothing, the daemons restarted for new code, a graceful
  reload of Apache, or a full restart.

The names below are the package's interface to the action plugins.
"""

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.apply import (
    ACTIONS,
    OTHER_PICK_UPS,
    ROLLBACK_OUTCOMES,
    apply_action,
    failure_text,
    rollback_outcome,
    rollback_reloads,
)
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.differences import (
    COMPARED,
    compare,
    refusal,
    removal,
)
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import text_checksum
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.reading import reading_args
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.release import (
    entry_point_script,
    release_archive,
    release_plan,
    venv_id,
    venv_paths,
)
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.wanted_state import daemon_home, wanted
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import changed, changed_entries

__all__ = [
    "ACTIONS",
    "COMPARED",
    "OTHER_PICK_UPS",
    "ROLLBACK_OUTCOMES",
    "apply_action",
    "changed",
    "changed_entries",
    "compare",
    "daemon_home",
    "entry_point_script",
    "failure_text",
    "reading_args",
    "refusal",
    "release_archive",
    "release_plan",
    "removal",
    "rollback_outcome",
    "rollback_reloads",
    "text_checksum",
    "venv_id",
    "venv_paths",
    "wanted",
]
