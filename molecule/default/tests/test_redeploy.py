"""What a redeploy restarts: the daemons for code, a reload for config,
a full restart for a module. Each test puts the host back as converged."""

import uuid

import pytest
from conftest import apache_main_pid, changed_tasks, list_daemons

DEPLOY_SCRIPT = "Deploy the WSGI script"
RELOAD_DAEMONS = "Reload the application's daemon processes"
APACHE_HANDLER = "Restart or reload Apache"


@pytest.fixture
def converge(host, run_playbook):
    """Run the playbook with extra vars; the host is re-converged afterwards."""

    def run(*extra_args):
        rc, report = run_playbook(*extra_args)
        assert rc == 0, report["stats"]
        return changed_tasks(report, host.backend.get_hostname())

    yield run
    rc, report = run_playbook()
    assert rc == 0, report["stats"]


def marker_header(host, cfg):
    headers = host.check_output(f"curl -sS -D - -o /dev/null {cfg.url}")
    return [line.split(":", 1)[1].strip() for line in headers.splitlines() if line.lower().startswith("x-deploy-marker:")]


def test_code_change_restarts_only_the_daemons(host, cfg, converge, tmp_path):
    marker = uuid.uuid4().hex
    new_script = tmp_path / cfg.script_name
    new_script.write_text(
        cfg.script_source.read_text()
        + f"""

_previous_application = application


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, headers + [("X-Deploy-Marker", "{marker}")], exc_info)

    return _previous_application(environ, start)
"""
    )
    master_before = apache_main_pid(host)
    daemons_before = {daemon["pid"] for daemon in list_daemons(host, cfg.display_name)}

    changed = converge("-e", f"flask_wsgi_script_src={new_script}")

    assert changed == [DEPLOY_SCRIPT, RELOAD_DAEMONS]
    assert marker_header(host, cfg) == [marker]
    assert apache_main_pid(host) == master_before
    assert not daemons_before & {daemon["pid"] for daemon in list_daemons(host, cfg.display_name)}


def test_config_change_reloads_apache_gracefully(host, cfg, converge):
    master_before = apache_main_pid(host)
    daemons_before = {daemon["pid"] for daemon in list_daemons(host, cfg.display_name)}

    changed = converge("-e", f"flask_wsgi_threads={cfg.threads + 2}")

    assert changed == ["Write the application's virtual host", APACHE_HANDLER]
    assert apache_main_pid(host) == master_before
    assert not daemons_before & {daemon["pid"] for daemon in list_daemons(host, cfg.display_name)}
    assert f"threads={cfg.threads + 2} " in host.file(cfg.vhost_path).content_string


def test_module_change_restarts_apache(host, cfg, converge):
    """A module disabled by hand (which breaks the config) is repaired."""
    host.check_output("a2dismod -f wsgi")
    master_before = apache_main_pid(host)

    changed = converge()

    assert changed == ["Enable mod_wsgi", APACHE_HANDLER]
    assert host.run("a2query -m wsgi").rc == 0
    assert apache_main_pid(host) != master_before
