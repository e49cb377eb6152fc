"""The application's requirements live in a virtualenv built with the
python3 mod_wsgi embeds, and the daemons run inside it. Each release links
to the virtualenv of its requirements: a code change reuses it and runs no
pip; new requirements get a virtualenv of their own, beside the old one."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import SERVE_RELEASE, changed_tasks

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"
PIP_TASK = "Install the requirements into a virtualenv of their own"


@pytest.fixture(scope="module")
def venv(cfg):
    """The virtualenv as the daemons reach it: through the current release."""
    return f"{cfg.current}/.flask_wsgi_venv"


def app_env(http_get, cfg):
    status, body = http_get(f"{cfg.url}/env")
    assert status == 200, body
    return json.loads(body)


def test_daemons_run_in_the_virtualenv(http_get, cfg, venv):
    assert app_env(http_get, cfg)["prefix"] == venv


def test_requirements_come_from_the_virtualenv(host, http_get, cfg, venv):
    # Each daemon pins the paths it imports from to the release (and
    # virtualenv) it started with.
    real = host.check_output(f"realpath {venv}")
    assert app_env(http_get, cfg)["humanize"].startswith(f"{real}/lib/python3")


def test_debian_packages_stay_visible(http_get, cfg):
    assert app_env(http_get, cfg)["flask"].startswith("/usr/lib/python3/dist-packages/")


def test_virtualenv_uses_the_python_mod_wsgi_embeds(host, venv):
    config = host.file(f"{venv}/pyvenv.cfg").content_string
    assert "home = /usr/bin" in config
    assert "include-system-site-packages = true" in config


def test_virtualenv_is_root_owned_and_beside_the_releases(host, cfg, venv):
    real = host.check_output(f"realpath {venv}")
    assert real.startswith(f"{cfg.app_dir}/venvs/")
    directory = host.file(real)
    assert (directory.user, directory.group) == ("root", "root")
    assert not directory.mode & 0o022


def test_vhost_points_the_daemons_at_the_virtualenv(host, cfg, venv):
    daemon_line = next(
        line for line in host.file(cfg.vhost_path).content_string.splitlines() if "WSGIDaemonProcess" in line
    )
    assert f"python-home={venv}" in daemon_line.split()


def test_pip_trusted_the_supplied_ca_bundle(host):
    bundle = host.file("/var/lib/flask_wsgi/wsgi/pip-ca-bundle.pem")
    assert bundle.is_file
    assert "BEGIN CERTIFICATE" in bundle.content_string


def test_code_change_reuses_the_virtualenv_and_new_requirements_get_their_own(
    host, cfg, venv, run_playbook, converge, http_get, tmp_path
):
    hostname = host.backend.get_hostname()
    before = host.check_output(f"realpath {venv}")
    release = tmp_path / "echo"
    shutil.copytree(SOURCE, release)
    (release / "echo_app" / "extra.py").write_text("EXTRA = True\n")

    rc, report = run_playbook("-e", f"flask_wsgi_app_src={release}")

    assert rc == 0, report["stats"]
    changed = changed_tasks(report, hostname)
    assert SERVE_RELEASE in changed
    assert PIP_TASK not in changed
    assert host.check_output(f"realpath {venv}") == before

    (release / "requirements.txt").write_text("humanize==4.12.2\n")
    rc, report = run_playbook("-e", f"flask_wsgi_app_src={release}")

    assert rc == 0, report["stats"]
    assert PIP_TASK in changed_tasks(report, hostname)
    after = host.check_output(f"realpath {venv}")
    assert after != before
    assert host.file(before).is_directory, "the old release's virtualenv was removed"
    assert app_env(http_get, cfg)["humanize_version"] == "4.12.2"

    # Back to the release before: its virtualenv, no pip.
    changed = converge("-e", "flask_wsgi_release=previous")

    assert PIP_TASK not in changed
    assert host.check_output(f"realpath {venv}") == before
    assert app_env(http_get, cfg)["humanize_version"] != "4.12.2"
