"""Runs on a deployed host: one with nothing to do reads the host once, and
one after hand changes puts back exactly what was changed."""

from conftest import changed_tasks, ran_tasks

# What a run with nothing to do may get through: checks and decisions made on
# the controller, one reading of the host and the health check.
NOOP_TASKS = {
    "Check the application's variables before taking the host out",
    "Take the host out of the load balancers",
    "Check the role's variables",
    "Load Apache's layout on Debian and Ubuntu",
    "Work out the content the deployed files should have",
    "Work out which parts of the host differ from the state they should be in",
    "Read the host and compare it with the state it should be in",
    "Check that the host runs a supported system",
    "Note whether the packages are really installed",
    "Work out what Apache and the daemons must pick up",
    "Request the application",
    "Put the host back into the load balancers",
}
ARGUMENT_SPEC_TASK_PREFIX = "Validating arguments against arg spec"

HAND_CHANGES = """
set -e
echo '# edited by hand' >>{vhost}
chmod 0777 {app_dir}
rm /etc/apache2/sites-enabled/{site}.conf
a2dismod -q -f headers
usermod --shell /bin/bash {user}
systemctl stop apache2
"""


def test_run_with_nothing_to_do_reads_the_host_once(host, run_playbook):
    rc, report = run_playbook()
    hostname = host.backend.get_hostname()

    assert rc == 0
    assert report["stats"][hostname]["changed"] == 0
    ran = ran_tasks(report, hostname)
    extra = [name for name in ran if name not in NOOP_TASKS and not name.startswith(ARGUMENT_SPEC_TASK_PREFIX)]
    assert extra == []
    assert ran.count("Read the host and compare it with the state it should be in") == 1
    assert "Request the application" in ran


def test_hand_changes_are_put_back(host, cfg, http_get, run_playbook):
    vhost_before = host.file(cfg.vhost_path).content_string
    host.check_output(HAND_CHANGES.format(vhost=cfg.vhost_path, app_dir=cfg.app_dir, site=cfg.site_name, user=cfg.user))

    rc, report = run_playbook()
    hostname = host.backend.get_hostname()

    assert rc == 0, report["stats"]
    assert set(changed_tasks(report, hostname)) == {
        "Write the application's virtual host",
        "Create the application, document and last-good directories",
        "Enable the application's site",
        "Enable mod_wsgi and mod_headers, disable mod_autoindex",
        "Create the daemon user with no login shell",
        "Start Apache and enable it at boot",
        "Restart Apache to load the changed modules",
    }
    assert host.file(cfg.vhost_path).content_string == vhost_before
    assert host.file(cfg.app_dir).mode == 0o755
    assert host.user(cfg.user).shell == cfg.user_shell
    status, _ = http_get(cfg.url)
    assert status == 200
    assert "X-Content-Type-Options: nosniff" in host.check_output(f"curl -sSI {cfg.url}")

    rc, report = run_playbook()
    assert rc == 0
    assert changed_tasks(report, hostname) == []
