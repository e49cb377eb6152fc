"""Runs on a deployed host: one after hand changes puts back exactly what
was changed, and one notices an application that stopped answering though
no file changed."""

import json
import time

from conftest import changed_tasks, failure_message, list_daemons, response_headers

HAND_CHANGES = """
set -e
echo '# edited by hand' >>{vhost}
chmod 0777 {app_dir}
rm /etc/apache2/sites-enabled/{site}.conf
a2dismod -q -f headers
usermod --shell /bin/bash {user}
chown root:root {home}
chmod 0755 {home}
chmod 0644 {known_good}/site.conf
echo '# edited by hand' >>{script}
systemctl stop apache2
"""


def test_hand_changes_are_put_back(host, cfg, http_get, run_playbook):
    vhost_before = host.file(cfg.vhost_path).content_string
    known_good = f"{cfg.state_dir}/{cfg.site_name}"
    host.check_output(
        HAND_CHANGES.format(
            vhost=cfg.vhost_path,
            app_dir=cfg.app_dir,
            site=cfg.site_name,
            user=cfg.user,
            home=cfg.user_home,
            known_good=known_good,
            script=cfg.script_path,
        )
    )

    rc, report = run_playbook()
    hostname = host.backend.get_hostname()

    assert rc == 0, report["stats"]
    assert set(changed_tasks(report, hostname)) == {
        "vhost",
        "app_dir",
        "home",
        "Unpack the release",
        "site",
        "module:headers",
        "user",
        "vhost.known_good",
        "Start Apache and enable it at boot",
        "Apache restarted",
    }
    assert host.file(cfg.vhost_path).content_string == vhost_before
    assert host.file(cfg.app_dir).mode == 0o755
    assert host.user(cfg.user).shell == cfg.user_shell
    home = host.file(cfg.user_home)
    assert (home.user, home.group, home.mode) == (cfg.user, cfg.group, 0o750)
    assert "edited by hand" not in host.file(cfg.script_path).content_string
    for saved in ("site.conf", "releases.json"):
        copy = host.file(f"{known_good}/{saved}")
        assert (copy.user, copy.group, copy.mode) == ("root", "root", 0o600)
    status, _ = http_get(cfg.url)
    assert status == 200
    assert "X-Content-Type-Options: nosniff" in response_headers(host, cfg.url)

    rc, report = run_playbook()
    assert rc == 0
    assert changed_tasks(report, hostname) == []


def test_application_that_stopped_answering_is_noticed(host, cfg, http_get, run_playbook):
    """The host reading asks the application and every daemon process too:
    with every file in place but Flask unreadable for the daemons, the run
    does not pass as a no-op; it restarts the daemons, which still cannot
    load the application, and fails."""
    flask_dir = host.check_output("python3 -c 'import flask, os; print(os.path.dirname(flask.__file__))'")
    host.check_output(f"chmod 0700 {flask_dir} && pkill -u {cfg.user}")
    try:
        status, _ = http_get(cfg.url)
        assert status == 500

        rc, report = run_playbook("-e", "flask_wsgi_healthcheck_retries=1", "-e", "flask_wsgi_healthcheck_delay=1")

        hostname = host.backend.get_hostname()
        assert rc != 0
        assert changed_tasks(report, hostname) == ["Daemons restarted"]
        message = failure_message(report, hostname)
        assert "The health check failed" in message
        assert "does not answer either" in message
    finally:
        # Fresh daemons: one whose import failed was seen to keep answering
        # 500 after the permissions came back, until it restarted.
        host.check_output(f"chmod 0755 {flask_dir} && pkill -u {cfg.user}")

    rc, report = run_playbook()
    assert rc == 0
    assert http_get(cfg.url) == (200, "hello world!")


def test_an_existing_account_is_used_as_it_is_only_when_asked(host, cfg, converge, run_playbook, http_get):
    host.check_output("id carol >/dev/null 2>&1 || useradd --create-home --shell /bin/bash carol")
    account = "getent passwd carol; getent group carol; stat -c '%U %G %a' /home/carol"
    before = host.check_output(account)
    carol = {"flask_wsgi_user": "carol", "flask_wsgi_group": "carol"}

    rc, report = run_playbook("-e", json.dumps(carol))
    assert rc != 0
    assert "will not take over" in failure_message(report, host.backend.get_hostname())
    assert host.check_output(account) == before

    changed = converge("-e", json.dumps(carol | {"flask_wsgi_user_existing": True}))

    assert "user" not in changed
    assert host.check_output(account) == before
    assert http_get(cfg.url) == (200, "hello world!")
    # The reload's old daemons may take a moment to finish.
    for _ in range(30):
        users = {daemon["user"] for daemon in list_daemons(host, cfg.display_name)}
        if users == {"carol"}:
            break
        time.sleep(0.5)
    assert users == {"carol"}
    assert "home=/home/carol" in host.file(cfg.vhost_path).content_string
