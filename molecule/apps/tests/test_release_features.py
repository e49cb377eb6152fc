"""What a real application needs besides its code: an environment with
secrets that never show, static files Apache serves itself, commands run in
each release before it is served, and removal."""

import json
import shutil
import subprocess
from pathlib import Path

from conftest import apache_main_pid, changed_tasks, failure_message

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"
SECRET = "never-shown-b6f1c2"
ENVIRONMENT_FILE = "/var/lib/flask_wsgi/wsgi.start.json"


def config(http_get, cfg):
    status, body = http_get(f"{cfg.url}/config")
    assert status == 200, body
    return json.loads(body)


def test_the_environment_reaches_the_application(http_get, cfg):
    assert config(http_get, cfg) == {"greeting": "hello from the environment", "secret": SECRET}


def test_the_environment_file_is_root_s_and_the_daemons_group_s_only(host, cfg):
    stored = host.file(ENVIRONMENT_FILE)
    assert (stored.user, stored.group, stored.mode) == ("root", cfg.group, 0o640)
    assert host.run(f"runuser -u nobody -- cat {ENVIRONMENT_FILE}").rc != 0


def test_the_secret_shows_nowhere_else(host, cfg, run_playbook):
    rc, report = run_playbook("--diff", "-v", "-e", "flask_wsgi_full_run=true")
    assert rc == 0, report["stats"]
    assert SECRET not in json.dumps(report)
    assert SECRET not in host.check_output("ps -eww -o args=")
    for place in ("/etc/apache2", "/var/log/apache2", cfg.app_dir):
        assert host.run(f"grep -rqs {SECRET} {place}").rc == 1, place


def test_a_new_environment_restarts_only_the_daemons(host, cfg, converge, http_get, tmp_path):
    apache_before = apache_main_pid(host)
    # A vault-encrypted value, as a user keeps secrets.
    password = tmp_path / "vault-password"
    password.write_text("test-only-password\n")
    encrypted = subprocess.run(
        ["ansible-vault", "encrypt_string", "--vault-password-file", str(password), "vaulted-9d3e"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    extra = tmp_path / "environment.yml"
    indented = "\n".join("    " + line for line in encrypted.strip().splitlines())
    extra.write_text(
        f"flask_wsgi_environment:\n  ECHO_GREETING: changed\n  ECHO_SECRET:\n{indented}\n".replace(
            "ECHO_SECRET:\n    !vault", "ECHO_SECRET: !vault"
        )
    )

    changed = converge("-e", f"@{extra}", "--vault-password-file", str(password))

    assert changed == [
        "environment",
        "Daemons restarted",
    ]
    assert apache_main_pid(host) == apache_before
    assert config(http_get, cfg) == {"greeting": "changed", "secret": "vaulted-9d3e"}


def test_static_files_are_served_with_the_application_stopped(host, cfg):
    url = f"http://127.0.0.1:{cfg.port}/echo/static/hello.txt"
    # mod_wsgi writes the display name over the daemons' command line.
    host.check_output(f"pkill -STOP -u {cfg.user} -f '^{cfg.display_name}'")
    try:
        stopped = host.run(f"curl -sS -o /dev/null -w '%{{http_code}}' --max-time 3 {cfg.url}/")
        answer = host.run(f"curl -sS -i --max-time 5 {url}")
    finally:
        host.check_output(f"pkill -CONT -u {cfg.user} -f '^{cfg.display_name}'")
    assert stopped.rc != 0, "the application answered though its daemons were stopped"
    assert answer.rc == 0, answer.stderr
    assert answer.stdout.startswith("HTTP/1.1 200")
    assert "Cache-Control: public, max-age=3600" in answer.stdout
    assert answer.stdout.endswith("static hello\n")


def test_release_commands_ran_as_the_daemons_with_the_environment_and_virtualenv(host, cfg):
    output = host.file(f"{cfg.user_home}/release-command.out")
    assert output.user == cfg.user
    greeting_prefix_cwd = output.content_string.split()
    assert greeting_prefix_cwd[:4] == ["hello", "from", "the", "environment"]
    assert greeting_prefix_cwd[4].startswith(f"{cfg.app_dir}/venvs/")
    assert greeting_prefix_cwd[5].startswith(f"{cfg.app_dir}/releases/")


def test_a_failing_release_command_leaves_the_release_served(host, cfg, run_playbook, http_get, tmp_path):
    before = host.check_output(f"readlink {cfg.current}")
    release = tmp_path / "echo"
    shutil.copytree(SOURCE, release)
    (release / "echo_app" / "release.py").write_text('RELEASE = "never-served"\n')
    (release / "echo_app" / "late.py").write_text('LATE = "never-served"\n')
    settings = {
        "flask_wsgi_app_src": str(release),
        "flask_wsgi_release_commands": ["echo migration-output-7f3a >&2; exit 3"],
    }

    rc, report = run_playbook("-e", json.dumps(settings))

    assert rc != 0
    message = failure_message(report, host.backend.get_hostname())
    assert 'failed at "Run the release commands"' in message
    assert "migration-output-7f3a" in message
    assert host.check_output(f"readlink {cfg.current}") == before
    status, body = http_get(f"{cfg.url}/")
    assert status == 200
    assert json.loads(body)["release"] != "never-served"


def test_a_changed_secret_never_shows_not_even_printed_by_a_failing_release_command(
    host, cfg, run_playbook, http_get, tmp_path
):
    """The environment changes (--diff -vvv), and a release command prints
    it and fails: its output (stderr in the failure message, stdout in the
    task's result) has the values masked."""
    changed_secret = "changed-secret-4e81d0"
    release = tmp_path / "echo"
    shutil.copytree(SOURCE, release)
    (release / "echo_app" / "release.py").write_text('RELEASE = "never-served"\n')
    settings = {
        "flask_wsgi_app_src": str(release),
        "flask_wsgi_environment": {"ECHO_GREETING": "hello from the environment", "ECHO_SECRET": changed_secret},
        "flask_wsgi_release_commands": ["env | sort; echo secret-is-$ECHO_SECRET >&2; exit 3"],
    }
    try:
        rc, report = run_playbook("--diff", "-vvv", "-e", json.dumps(settings))

        assert rc != 0
        message = failure_message(report, host.backend.get_hostname())
        assert 'failed at "Run the release commands"' in message
        assert "secret-is-********" in message
        shown = json.dumps(report)
        assert "ECHO_SECRET=********" in shown
        assert changed_secret not in shown
        assert SECRET not in shown
    finally:
        rc, report = run_playbook()
        assert rc == 0, report["stats"]
    assert config(http_get, cfg)["secret"] == SECRET


GAMMA = {
    "flask_wsgi_app_src": "",
    "flask_wsgi_entry_point": "",
    "flask_wsgi_requirements_file": "",
    "flask_wsgi_environment": {"GAMMA": "1"},
    "flask_wsgi_static": [],
    "flask_wsgi_release_commands": [],
    "flask_wsgi_mount_path": "/app",
    "flask_wsgi_site_name": "gamma",
    "flask_wsgi_app_dir": "/srv/gamma",
    "flask_wsgi_user": "gamma",
    "flask_wsgi_group": "gamma",
    "flask_wsgi_process_group": "gamma",
    "flask_wsgi_port": 8093,
}
GAMMA_PATHS = [
    "/etc/apache2/sites-enabled/gamma.conf",
    "/etc/apache2/sites-available/gamma.conf",
    "/srv/gamma",
    "/srv/gamma-public",
    "/var/lib/flask_wsgi/gamma",
    "/var/lib/flask_wsgi/gamma.start.py",
    "/var/lib/flask_wsgi/gamma.start.json",
    "/var/lib/flask_wsgi/gamma.daemons",
]


def test_absent_removes_one_application_and_leaves_the_other(host, cfg, run_playbook, http_get):
    hostname = host.backend.get_hostname()
    rc, report = run_playbook("-e", json.dumps(GAMMA))
    assert rc == 0, report["stats"]
    assert http_get("http://127.0.0.1:8093/app")[0] == 200
    apache_before = apache_main_pid(host)

    rc, report = run_playbook("-e", json.dumps(GAMMA | {"flask_wsgi_state": "absent"}))

    assert rc == 0, report["stats"]
    assert "Apache reloaded" in changed_tasks(report, hostname)
    for path in GAMMA_PATHS:
        assert not host.file(path).exists, path
    assert host.run("curl -sS --max-time 5 http://127.0.0.1:8093/app").rc != 0
    assert apache_main_pid(host) == apache_before
    assert http_get(f"{cfg.url}/")[0] == 200
    # The account stays unless asked, and a second run has nothing to do.
    assert host.user("gamma").exists
    rc, report = run_playbook("-e", json.dumps(GAMMA | {"flask_wsgi_state": "absent"}))
    assert rc == 0
    assert changed_tasks(report, hostname) == []


def test_absent_removes_the_account_the_role_made_when_asked(host, cfg, run_playbook, http_get):
    rc, report = run_playbook("-e", json.dumps(GAMMA))
    assert rc == 0, report["stats"]

    rc, report = run_playbook("-e", json.dumps(GAMMA | {"flask_wsgi_state": "absent", "flask_wsgi_remove_user": True}))

    assert rc == 0, report["stats"]
    assert not host.user("gamma").exists
    assert not host.group("gamma").exists
    assert not host.file("/var/lib/gamma").exists
    assert http_get(f"{cfg.url}/")[0] == 200
