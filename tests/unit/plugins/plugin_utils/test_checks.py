"""A role's variables checked before the host is touched: types from the
argument specs, then the rules, then the sources on the controller."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from ansible.errors import AnsibleError
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import checks

ROLES = Path(__file__).resolve().parents[4] / "roles"


def defaults(role):
    """ROLE's defaults as the play sees them: "{{ name }}" references
    replaced by the named default."""
    values = yaml.safe_load((ROLES / role / "defaults" / "main.yml").read_text())
    reference = re.compile(r"\{\{ ([a-z_]+) \}\}")

    def named(match):
        return str(values[match.group(1)])

    while any(isinstance(value, str) and reference.search(value) for value in values.values()):
        values = {name: reference.sub(named, v) if isinstance(v, str) else v for name, v in values.items()}
    return values


class Templar:
    def template(self, value):
        return value


def action(role, files=()):
    """A stand-in for a plan action of ROLE: the role's path, an identity
    templar, and a files/ search that finds only FILES."""

    def find_needle(kind, name):
        if name in files:
            return name
        raise AnsibleError(f"no {kind}/{name}")

    task = SimpleNamespace(_role=SimpleNamespace(_role_path=str(ROLES / role)))
    return SimpleNamespace(_templar=Templar(), _task=task, _find_needle=find_needle)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("flask_wsgi_threads", "many"), ("flask_wsgi_full_run", "maybe"), ("flask_wsgi_static", "app/static")],
)
def test_a_type_the_specs_refuse_names_the_variable(variable, value):
    errors = checks.type_errors(checks.spec_options(ROLES / "flask_wsgi"), {variable: value})

    assert len(errors) == 1
    assert variable in errors[0]


def test_the_defaults_pass_the_specs_of_every_role():
    for role in ("flask_wsgi", "apache_server", "haproxy_lb"):
        assert checks.type_errors(checks.spec_options(ROLES / role), defaults(role)) == [], role


def test_variables_of_other_roles_are_not_the_specs_business():
    options = checks.spec_options(ROLES / "apache_server")

    assert checks.type_errors(options, {"flask_wsgi_threads": "many", "apache_server_mpm": "event"}) == []


def test_check_stops_at_the_types_before_the_rules():
    task_vars = dict(defaults("flask_wsgi"), flask_wsgi_threads="many", flask_wsgi_processes=0)

    refused = checks.check(action("flask_wsgi", files={"flaskapp.wsgi"}), "flask_wsgi", task_vars, types=True)

    assert refused["failed"]
    assert refused["msg"].startswith("flask_wsgi: ")
    assert "flask_wsgi_threads" in refused["msg"]
    assert "flask_wsgi_processes" not in refused["msg"]


def test_check_names_each_broken_rule_once_the_types_pass():
    task_vars = dict(defaults("flask_wsgi"), flask_wsgi_processes=0, flask_wsgi_mount_path="app")

    refused = checks.check(action("flask_wsgi", files={"flaskapp.wsgi"}), "flask_wsgi", task_vars, types=True)

    assert refused["failed"]
    assert [broken["name"] for broken in refused["broken"]] == ["flask_wsgi_processes", "flask_wsgi_mount_path"]
    assert refused["msg"].count(" | ") == 1


def test_check_passes_the_defaults():
    for role in ("flask_wsgi", "apache_server"):
        fields = checks.check(action(role, files={"flaskapp.wsgi"}), role, defaults(role), types=True)
        assert fields == {"broken": []}, role


def test_without_types_only_the_rules_are_checked():
    task_vars = dict(defaults("flask_wsgi"), flask_wsgi_threads="many")

    fields = checks.check(action("flask_wsgi", files={"flaskapp.wsgi"}), "flask_wsgi", task_vars)

    assert [broken["name"] for broken in fields["broken"]] == ["flask_wsgi_threads"]


def test_sources_that_are_not_on_the_controller_are_refused(tmp_path):
    task_vars = dict(
        defaults("flask_wsgi"),
        flask_wsgi_script_src="missing.wsgi",
        flask_wsgi_app_src=str(tmp_path / "nowhere"),
        flask_wsgi_pip_ca_bundle=str(tmp_path),
    )

    refused = checks.check(action("flask_wsgi"), "flask_wsgi", task_vars, types=True)

    assert [broken["name"] for broken in refused["broken"]] == [
        "flask_wsgi_script_src",
        "flask_wsgi_app_src",
        "flask_wsgi_pip_ca_bundle",
    ]


def test_an_entry_point_needs_no_script_file():
    task_vars = dict(defaults("flask_wsgi"), flask_wsgi_script_src="missing.wsgi", flask_wsgi_entry_point="app:app")

    assert checks.check(action("flask_wsgi"), "flask_wsgi", task_vars, types=True) == {"broken": []}
