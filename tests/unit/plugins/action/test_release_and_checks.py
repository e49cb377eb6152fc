"""The glue of the two actions that only pass things on: flask_wsgi_release
sends the release archive before its module runs (and never in check mode),
check_variables applies the role's rules to what the play gives it."""

from pathlib import Path
from unittest.mock import MagicMock

import pytest
import yaml
from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible_collections.flaskwsgi.deploy.plugins.action import check_variables, flask_wsgi_release

# The apache_server role's defaults, as a play gives them.
APACHE_DEFAULTS = yaml.safe_load(
    (Path(__file__).resolve().parents[4] / "roles" / "apache_server" / "defaults" / "main.yml").read_text()
)


def action(module, check_mode=False, **args):
    task = MagicMock(args=args, async_val=0, check_mode=check_mode, action=module.__name__.rsplit(".", 1)[-1])
    loader = DataLoader()
    return module.ActionModule(task, MagicMock(), MagicMock(), loader, Templar(loader=loader), None)


def release_action(monkeypatch, tmp_path, check_mode=False, **args):
    """The release action with its module and file transfer recorded."""
    plugin = action(flask_wsgi_release, check_mode=check_mode, **args)
    calls = {"sent": [], "module": []}
    archive = tmp_path / "release.tar"
    archive.write_bytes(b"tar")
    monkeypatch.setattr(plugin, "_find_needle", lambda kind, name: str(archive))
    monkeypatch.setattr(plugin, "_transfer_file", lambda source, remote: calls["sent"].append((source, remote)))
    monkeypatch.setattr(plugin, "_fixup_perms2", lambda paths: None)
    plugin._connection._shell.tmpdir = "/tmp/ansible-remote"
    plugin._connection._shell.join_path = lambda *parts: "/".join(parts)

    def execute(module_name, module_args, task_vars):
        calls["module"].append((module_name, module_args))
        return {"changed": True, "release": "abc"}

    monkeypatch.setattr(plugin, "_execute_module", execute)
    return plugin, calls, str(archive)


def test_the_archive_goes_to_the_host_and_the_module_gets_its_path(monkeypatch, tmp_path):
    plugin, calls, archive = release_action(monkeypatch, tmp_path, archive="release.tar", release="abc")
    result = plugin.run(task_vars={})

    assert calls["sent"] == [(archive, "/tmp/ansible-remote/release.tar")]
    [(name, args)] = calls["module"]
    assert name == "flaskwsgi.deploy.flask_wsgi_release"
    assert args == {"archive": "/tmp/ansible-remote/release.tar", "release": "abc"}
    assert result["changed"]
    assert result["release"] == "abc"


def test_in_check_mode_nothing_is_sent(monkeypatch, tmp_path):
    plugin, calls, _archive = release_action(monkeypatch, tmp_path, check_mode=True, archive="release.tar", release="a")
    plugin.run(task_vars={})

    assert calls["sent"] == []
    assert calls["module"][0][1] == {"release": "a"}


def test_a_missing_archive_is_named(monkeypatch, tmp_path):
    plugin, calls, _archive = release_action(monkeypatch, tmp_path, archive="gone.tar")

    def not_found(kind, name):
        raise AnsibleError(f"could not find {name}")

    monkeypatch.setattr(plugin, "_find_needle", not_found)
    with pytest.raises(AnsibleActionFail, match="cannot read the archive gone.tar"):
        plugin.run(task_vars={})
    assert calls == {"sent": [], "module": []}


def test_an_unknown_role_is_refused():
    result = action(check_variables, role="nginx").run(task_vars={})

    assert result["failed"]
    assert "apache_server, flask_wsgi, haproxy_lb" in result["msg"]


def test_a_broken_rule_fails_naming_the_variable():
    result = action(check_variables, role="apache_server").run(
        task_vars=dict(APACHE_DEFAULTS, apache_server_modules=["bad module"])
    )

    assert result["failed"]
    assert "apache_server_modules" in result["msg"]
    assert [entry["name"] for entry in result["broken"]] == ["apache_server_modules"]


def test_good_values_pass_and_change_nothing():
    result = action(check_variables, role="apache_server").run(
        task_vars=dict(APACHE_DEFAULTS, apache_server_modules=["proxy"])
    )

    assert not result.get("failed"), result
    assert result["changed"] is False
    assert result["broken"] == []
