"""Bad input fails before the role touches the host, naming the variable.

The host in this scenario is never converged: after every rejected run it
must still have no Apache, no account of the name the case gives, no apt
index refreshed, and every path under /etc, /usr, /srv, /var, /opt, /home
and /root (volatile ones left out) as it was: type, owner, group, mode and
content, /etc/passwd and /etc/group among them (files/snapshot.py).
"""

import base64
import json
import shlex
from pathlib import Path

import pytest

from conftest import ran_tasks

# The tasks a rejected run may get through: read-only fact gathering and the
# validation steps (the rolling deploy's, before it takes the host out of
# the load balancers, then the role's own).
VALIDATION_TASKS = {
    "Gathering Facts",
    "Check the web server's variables and work out its server-wide state",
    "Work out the server-wide state Apache should be in",
    "Check the application's variables and read the host",
    "Read the host and compare it with the state it should be in",
    "Check the role's variables and work out what the load balancer should be",
}
ARGUMENT_SPEC_TASK_PREFIX = "Validating arguments against arg spec"

BAD_INPUT = [
    ("flask_wsgi_processes", 0),
    ("flask_wsgi_processes", "3; rm -rf /"),
    ("flask_wsgi_processes", "automatic"),
    ("flask_wsgi_processes", 2.5),
    ("flask_wsgi_threads", 0),
    ("flask_wsgi_threads", "many"),
    ("flask_wsgi_port", 70000),
    ("flask_wsgi_mount_path", "app"),
    ("flask_wsgi_mount_path", "/app/"),
    ("flask_wsgi_mount_path", '/app"\nWSGIScriptAlias / /etc/passwd'),
    ("flask_wsgi_process_group", "flask app"),
    ("flask_wsgi_process_group", "flaskapp\n"),
    ("flask_wsgi_display_name", "x\nLoadModule evil /tmp/evil.so"),
    ("flask_wsgi_user", "root"),
    ("flask_wsgi_user", "Bad User"),
    ("flask_wsgi_group", "wsgi;reboot"),
    ("flask_wsgi_user_shell", "nologin"),
    ("flask_wsgi_user_home", "/var/www/flaskapp/home"),
    ("flask_wsgi_app_dir", "/etc"),
    ("flask_wsgi_app_dir", "relative/dir"),
    ("flask_wsgi_document_root", "/var/www/flaskapp/static"),
    ("flask_wsgi_state_dir", "/"),
    ("flask_wsgi_script_name", "../evil.wsgi"),
    ("flask_wsgi_site_name", "000-default"),
    ("flask_wsgi_server_name", "example.com\nInclude /etc/shadow"),
    ("flask_wsgi_server_name", "*.example.com"),
    ("flask_wsgi_server_aliases", ["www.example.com", "bad host"]),
    ("flask_wsgi_application_group", "%{ENV:EVIL}"),
    ("flask_wsgi_log_level", "loud"),
    ("flask_wsgi_log_level", "warn\nInclude /etc/shadow"),
    ("flask_wsgi_log_level", "warn ssl:info"),
    ("flask_wsgi_umask", "777x"),
    ("flask_wsgi_umask", "0027\n"),
    ("flask_wsgi_locale", "C.UTF-8 home=/root"),
    ("flask_wsgi_request_timeout", -5),
    ("flask_wsgi_startup_timeout", "soon"),
    ("flask_wsgi_vhost_extra_directives", ["LimitRequestBody 1\nInclude /etc/shadow"]),
    ("flask_wsgi_vhost_extra_directives", "LimitRequestBody 1"),
    ("flask_wsgi_extra_packages", ["curl; reboot"]),
    ("flask_wsgi_extra_packages", "curl"),
    ("apache_server_disable_default_site", "maybe"),
    ("apache_server_mpm", "itk"),
    ("apache_server_modules", ["status; reboot"]),
    ("flask_wsgi_healthcheck_status_codes", [700]),
    ("flask_wsgi_healthcheck_path", "a b"),
    ("flask_wsgi_entry_point", "echo_app"),
    ("flask_wsgi_entry_point", "os:system('reboot')"),
    ("flask_wsgi_requirements_file", "../../etc/requirements.txt"),
    ("flask_wsgi_keep_releases", 1),
    ("flask_wsgi_release", "latest"),
    ("flask_wsgi_static", [{"url": "/static", "dir": "../etc"}]),
    ("flask_wsgi_release_commands", ["two\nlines"]),
    ("flask_wsgi_state", "removed"),
    ("flask_wsgi_app_git_version", "--upload-pack=touch /tmp/pwned"),
    ("flask_wsgi_app_git_repo", "file:///srv/a repo"),
    ("flask_wsgi_tls_port", 70000),
    ("flask_wsgi_tls_certificate_file", "/etc/ssl/certs/site.pem"),
    ("flask_wsgi_tls_key_file", "site.key"),
    ("flask_wsgi_tls_hsts_max_age", -1),
    ("flask_wsgi_tls_redirect", "maybe"),
    # ACME with HTTPS off; a wildcard http-01 cannot prove; an ACME server over plain HTTP.
    ("flask_wsgi_tls_acme_enabled", True),
    ("flask_wsgi_tls_acme_names", ["*.example.com"]),
    ("flask_wsgi_tls_acme_directory", "http://acme.example.test/directory"),
    ("flask_wsgi_pip_index_url", "pypi.example.test/simple"),
    ("flask_wsgi_pip_index_url", "https://pypi.example.test/simple --trusted-host=evil"),
    ("flask_wsgi_pip_extra_args", ["--retries 0; reboot"]),
    ("flask_wsgi_pip_extra_args", "--retries=0"),
    ("flask_wsgi_full_run", "maybe"),
    # Sources on the controller that are not there.
    ("flask_wsgi_script_src", "no-such-script.wsgi"),
    ("flask_wsgi_app_src", "/nonexistent/app-src"),
    ("flask_wsgi_pip_ca_bundle", "/nonexistent/ca-bundle.pem"),
    ("flask_wsgi_tls_acme_ca_bundle", "/nonexistent/pebble.pem"),
]

SNAPSHOT = Path(__file__).resolve().parents[1] / "files" / "snapshot.py"
SNAPSHOT_ON_HOST = "/tmp/flask-wsgi-snapshot.py"
UNTOUCHED_CHECK = r"""
dpkg-query -W -f='${{Status}}' apache2 2>/dev/null | grep -q 'install ok installed' && echo 'apache2 is installed'
for user in {users}; do getent passwd "$user" && echo "user $user exists"; done
for group in {groups}; do getent group "$group" && echo "group $group exists"; done
[ -z "$(ls -A /var/lib/apt/lists)" ] || echo 'the apt index was refreshed'
python3 {snapshot} compare || echo "the snapshot's compare failed with status $?"
"""


def named_accounts(variable, value):
    """The account and group a case names: its own value for the account
    variables, the role's defaults otherwise."""
    user = value if variable == "flask_wsgi_user" and isinstance(value, str) else "wsgi"
    group = value if variable == "flask_wsgi_group" and isinstance(value, str) else "wsgi"
    return user, group


@pytest.fixture(scope="module")
def untouched(host):
    """check(variable, value) lists what differs on the host from before the
    first case, or is there that the case's account names."""
    # Let boot finish first: sshd makes its host keys on the first boot.
    host.run("systemctl is-system-running --wait")
    # Somebody's account, which the role must never take over.
    host.check_output("id alice >/dev/null 2>&1 || useradd --create-home --shell /bin/bash alice")
    script = base64.b64encode(SNAPSHOT.read_bytes()).decode()
    host.check_output(f"echo {script} | base64 -d > {SNAPSHOT_ON_HOST} && python3 {SNAPSHOT_ON_HOST} save")

    users_before = set(host.check_output("getent passwd | cut -d: -f1").split())
    groups_before = set(host.check_output("getent group | cut -d: -f1").split())

    def check(variable="", value=""):
        # The case's account and group must not exist, unless they did
        # before the first case (root, say).
        user, group = named_accounts(variable, value)
        users = " ".join(shlex.quote(name) for name in {user} - users_before)
        groups = " ".join(shlex.quote(name) for name in {group} - groups_before)
        command = UNTOUCHED_CHECK.format(users=users, groups=groups, snapshot=SNAPSHOT_ON_HOST)
        return host.check_output(command + "true").splitlines()

    assert check() == [], "the host was not fresh before the first case"
    return check


@pytest.mark.parametrize(
    ("variable", "value"),
    BAD_INPUT,
    ids=[f"{variable}={json.dumps(value)}" for variable, value in BAD_INPUT],
)
def test_bad_input_fails_before_touching_the_host(host, run_playbook, untouched, variable, value):
    rc, report = run_playbook("-e", json.dumps({variable: value}))

    assert_rejected_untouched(host, rc, report, variable, value, untouched)


# haproxy_lb's rules, checked with the same host put in the lb group too: the
# load balancer play must stop at its validation, before apt or HAProxy, and
# the application play then skips the host.
HAPROXY_BAD_INPUT = [
    ("haproxy_lb_port", 0),
    ("haproxy_lb_backend_port", "80; rm -rf /"),
    ("haproxy_lb_backend_name", "web servers"),
    ("haproxy_lb_backend_group", "nobody"),
    ("haproxy_lb_bind_address", "0.0.0.0\nlisten evil"),
    ("haproxy_lb_healthcheck_path", "app"),
    ("haproxy_lb_healthcheck_host", "bad host"),
    ("haproxy_lb_check_interval", 10),
    ("haproxy_lb_check_fall", 0),
    ("haproxy_lb_retry_on", ["503\n    option httpclose"]),
]


@pytest.fixture(scope="module")
def also_in_lb(host, tmp_path_factory):
    """An extra inventory that puts this host in the lb group as well."""
    path = tmp_path_factory.mktemp("inventory") / "lb.yml"
    path.write_text(json.dumps({"lb": {"hosts": {host.backend.get_hostname(): None}}}))
    return path


@pytest.mark.parametrize(
    ("variable", "value"),
    HAPROXY_BAD_INPUT,
    ids=[f"{variable}={json.dumps(value)}" for variable, value in HAPROXY_BAD_INPUT],
)
def test_bad_load_balancer_input_fails_before_touching_the_host(
    host, run_playbook, untouched, also_in_lb, variable, value
):
    rc, report = run_playbook("-i", str(also_in_lb), "-e", json.dumps({variable: value}))

    assert_rejected_untouched(host, rc, report, variable, value, untouched)


def assert_rejected_untouched(host, rc, report, variable, value, untouched):
    """The run failed at a validation step that names VARIABLE, and the host
    is as fresh as before."""
    hostname = host.backend.get_hostname()
    assert rc != 0
    assert report["stats"][hostname]["failures"] == 1
    ran = ran_tasks(report, hostname)
    assert all(name in VALIDATION_TASKS or name.startswith(ARGUMENT_SPEC_TASK_PREFIX) for name in ran), ran
    messages = failure_messages(report, hostname)
    assert messages, "the failed task gave no message"
    assert any(variable in message for message in messages), messages
    assert untouched(variable, value) == []


def failure_messages(report, hostname):
    """The messages of the failed task: one per broken rule or bad argument."""
    for play in report["plays"]:
        for task in play["tasks"]:
            result = task["hosts"].get(hostname, {})
            if not result.get("failed"):
                continue
            if "argument_errors" in result:
                return result["argument_errors"]
            return result["msg"].split(" | ")
    raise AssertionError("no task failed")


def test_somebodys_account_is_never_taken_over(host, run_playbook, untouched):
    """An account with a login shell, a UID for people and a home of its own:
    the run reads the host, refuses before any change, and names the
    variable."""
    rc, report = run_playbook("-e", json.dumps({"flask_wsgi_user": "alice", "flask_wsgi_group": "alice"}))

    hostname = host.backend.get_hostname()
    assert rc != 0
    assert report["stats"][hostname]["changed"] == 0
    message = failure_messages(report, hostname)[0]
    assert "flask_wsgi_user names the account alice" in message
    assert "login shell /bin/bash" in message
    assert "flask_wsgi_user_existing" in message
    assert untouched("flask_wsgi_user", "alice") == []
