"""What a redeploy restarts: the daemons for code, a graceful reload for
configuration, a full restart for modules."""

import uuid

from conftest import SERVE_RELEASE, apache_main_pid, list_daemons, response_headers

# The last good copy of the vhost, written once the deployment passed.
REMEMBER = "vhost.known_good"
# A new release, in one call: unpacked beside the one served, switched
# to, then recorded as passed once every daemon process loaded it.
NEW_RELEASE = [SERVE_RELEASE]


def daemon_pids(host, cfg):
    return {daemon["pid"] for daemon in list_daemons(host, cfg.display_name)}


def marker_header(host, cfg):
    headers = response_headers(host, cfg.url)
    return [
        line.split(":", 1)[1].strip() for line in headers.splitlines() if line.lower().startswith("x-deploy-marker:")
    ]


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
    daemons_before = daemon_pids(host, cfg)

    changed = converge("-e", f"flask_wsgi_script_src={new_script}")

    assert changed == NEW_RELEASE
    # The role restarted every daemon process, and the health check waited
    # until each had loaded the new code: no request gets the old code.
    for _ in range(10 * cfg.processes):
        assert marker_header(host, cfg) == [marker]
    assert apache_main_pid(host) == master_before
    assert not daemon_pids(host, cfg) & daemons_before


def test_config_change_reloads_apache_gracefully(host, cfg, converge):
    master_before = apache_main_pid(host)
    daemons_before = daemon_pids(host, cfg)

    changed = converge("-e", f"flask_wsgi_threads={cfg.threads + 2}")

    assert changed == [
        "vhost",
        "Apache reloaded",
        REMEMBER,
    ]
    assert apache_main_pid(host) == master_before
    assert not daemons_before & daemon_pids(host, cfg)
    assert f"threads={cfg.threads + 2} " in host.file(cfg.vhost_path).content_string


def test_server_wide_and_application_changes_restart_apache_once(host, cfg, converge):
    """The web server's change (a module it keeps off, turned on by hand)
    and the application's (its last good copy gone, as on a first deploy,
    which restarts Apache) in one run: the application's apply step applies
    both, with one restart, and clears the web server's note."""
    known_good = f"{cfg.state_dir}/{cfg.site_name}/site.conf"
    host.check_output(f"a2enmod -q autoindex && rm {known_good}")
    master_before = apache_main_pid(host)

    changed = converge()

    assert changed.count("Apache restarted") == 1
    assert "Apache reloaded" not in changed
    assert host.run("a2query -m autoindex").rc != 0
    assert host.file(known_good).exists
    assert apache_main_pid(host) != master_before
    assert not host.file("/var/lib/apache_server/apache-server-pending").exists
    assert converge() == []


def test_module_change_restarts_apache(host, cfg, converge):
    """A module disabled by hand (which breaks the config) is repaired."""
    host.check_output("a2dismod -f wsgi")
    master_before = apache_main_pid(host)

    changed = converge()

    assert changed == [
        "module:wsgi",
        "Apache restarted",
    ]
    assert host.run("a2query -m wsgi").rc == 0
    assert apache_main_pid(host) != master_before
