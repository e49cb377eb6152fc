"""The probe app reports what the running daemons got from the inventory."""

import json

import pytest

from conftest import response_headers


@pytest.fixture(scope="module")
def probe(http_get, cfg):
    status, body = http_get(cfg.url, cfg.server_name)
    assert status == 200
    return json.loads(body)


def test_daemon_runs_as_the_configured_account(probe, cfg):
    assert probe["user"] == cfg.user
    assert probe["group"] == cfg.group
    assert probe["groups"] == [cfg.group]


def test_daemon_works_in_the_user_home(probe, cfg):
    assert probe["cwd"] == cfg.user_home


def test_daemon_is_a_child_of_the_apache_master(probe, apache_master_pid):
    assert probe["ppid"] == apache_master_pid


def test_daemon_group_has_the_configured_size(probe, cfg):
    assert probe["process_group"] == cfg.process_group
    assert probe["maximum_processes"] == cfg.processes
    assert probe["threads_per_process"] == cfg.threads
    assert probe["multithread"] is True
    assert probe["multiprocess"] is True


def test_app_is_mounted_at_the_configured_path(probe, cfg):
    assert probe["script_name"] == cfg.mount_path


def test_app_runs_in_one_of_the_daemons_ps_shows(probe, daemons):
    assert probe["pid"] in {daemon["pid"] for daemon in daemons}


def test_default_site_keeps_answering_on_port_80(http_get):
    status, body = http_get("http://127.0.0.1:80/")
    assert status == 200
    assert "Apache2 Debian Default Page" in body


def test_extra_directives_take_effect(host, cfg):
    headers = response_headers(host, cfg.url, cfg.server_name)
    assert "X-Vhost-Extra: custom scenario" in headers.splitlines()
    too_big = host.run(
        f"head -c 2000000 /dev/zero | curl -sS -o /dev/null -w '%{{http_code}}' "
        f"-H 'Host: {cfg.server_name}' --data-binary @- {cfg.url}"
    )
    assert too_big.stdout == "413"


def test_daemon_umask_applies_to_new_files(probe, cfg):
    assert probe["umask"] == int(cfg.umask, 8)


# As molecule.yml sets flask_wsgi_environment's PROBE_SECRET.
SECRET = "gr\u00fc\u00dfe \u2713 'single' \"double\" $HOME `id` back\\slash %s"


def test_daemon_runs_in_a_utf8_locale(probe, host, cfg):
    assert probe["filesystem_encoding"] == "utf-8"
    assert probe["file_name_round_trip"] is True
    vhost = host.file(cfg.vhost_path).content_string
    assert "lang=C.UTF-8 locale=C.UTF-8" in vhost


def test_daemon_sees_the_secret_exactly(probe):
    """Non-ASCII text, quotes, $, backticks and a backslash, byte for byte."""
    assert probe["secret"] == SECRET


def test_a_secret_given_as_unsafe_reaches_the_daemons_untemplated(cfg, http_get, run_playbook, tmp_path):
    """{{ }} in a value: given !unsafe, Ansible never templates it."""
    secret = "{{ not a template }} {% raw %} gr\u00fc\u00dfe"
    extra = tmp_path / "unsafe.yml"
    extra.write_text(f"flask_wsgi_environment:\n  PROBE_SECRET: !unsafe {json.dumps(secret)}\n")
    try:
        rc, report = run_playbook("-e", f"@{extra}")
        assert rc == 0, report["stats"]
        status, body = http_get(cfg.url, cfg.server_name)
        assert status == 200
        assert json.loads(body)["secret"] == secret
    finally:
        rc, report = run_playbook()
        assert rc == 0, report["stats"]
