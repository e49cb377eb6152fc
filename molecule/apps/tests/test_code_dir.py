"""A code directory deployed from flask_wsgi_app_src holds what the source
holds: a file the new release dropped is removed, from the application
directory and from the last good copy a rollback would restore."""

import shutil
from pathlib import Path

from conftest import changed_tasks

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"
LEFTOVER = "echo_app/dropped_later.py"


def test_file_dropped_from_the_source_is_removed(host, cfg, run_playbook, http_get, tmp_path):
    release = tmp_path / "echo"
    shutil.copytree(SOURCE, release)
    (release / LEFTOVER).write_text("GONE_IN_THE_NEXT_RELEASE = True\n")
    known_good_code = f"/var/lib/flask_wsgi/{cfg.site_name}/code"

    rc, report = run_playbook("-e", f"flask_wsgi_app_src={release}")
    assert rc == 0, report["stats"]
    assert host.file(f"{cfg.app_dir}/{LEFTOVER}").exists
    assert host.file(f"{known_good_code}/{LEFTOVER}").exists

    rc, report = run_playbook("-e", f"flask_wsgi_app_src={SOURCE}")

    assert rc == 0, report["stats"]
    changed = changed_tasks(report, host.backend.get_hostname())
    assert "Remove the code the source no longer has" in changed
    assert "Restart the daemon processes for the new code" in changed
    assert not host.file(f"{cfg.app_dir}/{LEFTOVER}").exists
    assert not host.file(f"{known_good_code}/{LEFTOVER}").exists
    assert host.file(f"{cfg.app_dir}/echo_app/__init__.py").exists
    assert host.file(cfg.script_path).exists
    status, _ = http_get(f"{cfg.url}/")
    assert status == 200
