"""The code directory is deployed as it is, and the role writes the WSGI
script that hands mod_wsgi the configured entry point."""

import json
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"


def test_code_is_deployed_root_owned_and_read_only(host, cfg):
    for relative in ("echo_app/__init__.py", "echo_app/release.py", "requirements.txt"):
        deployed = host.file(f"{cfg.current}/{relative}")
        assert deployed.content_string == (SOURCE / relative).read_text()
        assert (deployed.user, deployed.group) == ("root", "root")
        assert deployed.mode == 0o644


def test_script_imports_the_entry_point_as_application(host, cfg):
    script = host.file(cfg.script_path).content_string
    assert "from echo_app import app as application" in script.splitlines()


def test_entry_point_answers_at_the_mount(http_get, cfg):
    status, body = http_get(f"{cfg.url}/")
    assert status == 200, body
    assert json.loads(body)["release"] == "1"


def test_daemon_runs_as_the_default_account(http_get, cfg, apache_master_pid):
    status, body = http_get(f"{cfg.url}/env")
    assert status == 200, body
    report = json.loads(body)
    assert (report["user"], report["group"], report["groups"]) == ("wsgi", "wsgi", ["wsgi"])
    assert report["cwd"] == "/var/lib/wsgi"
    assert report["ppid"] == apache_master_pid
