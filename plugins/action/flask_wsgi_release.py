# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Send a release archive from the controller, then run the
flask_wsgi_release module with it (unpack, switch, restart, check, record)."""

from __future__ import annotations

from typing import Any

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        module_args = self._task.args.copy()
        archive = module_args.get("archive")
        if archive and self._task.check_mode:
            # A dry run unpacks nothing: the archive stays on the controller.
            del module_args["archive"]
        elif archive:
            try:
                source = self._loader.get_real_file(self._find_needle("files", archive), decrypt=False)
            except AnsibleError as error:
                raise AnsibleActionFail(f"flask_wsgi_release: cannot read the archive {archive}: {error}") from error
            tmpdir = self._connection._shell.tmpdir or self._make_tmp_path()
            remote = self._connection._shell.join_path(tmpdir, "release.tar")
            self._transfer_file(source, remote)
            self._fixup_perms2((tmpdir, remote))
            module_args["archive"] = remote
        result.update(
            self._execute_module(
                module_name="flaskwsgi.deploy.flask_wsgi_release", module_args=module_args, task_vars=task_vars
            )
        )
        return result
