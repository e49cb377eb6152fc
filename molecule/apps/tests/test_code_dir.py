"""A code directory deployed from flask_wsgi_app_src becomes a release of
its own: a file the new release dropped is not in it, and the release
before stays untouched beside it until it is pruned."""

import json
import shutil
from pathlib import Path

from conftest import SERVE_RELEASE, changed_tasks

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"
LEFTOVER = "echo_app/dropped_later.py"


def releases(host, cfg):
    return host.check_output(f"ls {cfg.app_dir}/releases").split()


def test_file_dropped_from_the_source_is_not_in_the_next_release(host, cfg, run_playbook, http_get, tmp_path):
    release = tmp_path / "echo"
    shutil.copytree(SOURCE, release)
    (release / LEFTOVER).write_text("GONE_IN_THE_NEXT_RELEASE = True\n")

    rc, report = run_playbook("-e", f"flask_wsgi_app_src={release}")
    assert rc == 0, report["stats"]
    assert host.file(f"{cfg.current}/{LEFTOVER}").exists
    with_leftover = host.check_output(f"realpath {cfg.current}")

    rc, report = run_playbook("-e", f"flask_wsgi_app_src={SOURCE}")

    assert rc == 0, report["stats"]
    changed = changed_tasks(report, host.backend.get_hostname())
    assert SERVE_RELEASE in changed
    assert not host.file(f"{cfg.current}/{LEFTOVER}").exists
    assert host.file(f"{cfg.current}/echo_app/__init__.py").exists
    assert host.file(cfg.script_path).exists
    # The release before is kept whole, for a rollback.
    assert host.file(f"{with_leftover}/{LEFTOVER}").exists
    status, _ = http_get(f"{cfg.url}/")
    assert status == 200


def test_a_release_changed_by_hand_is_put_back(host, cfg, run_playbook):
    module = f"{cfg.current}/echo_app/release.py"
    original = host.file(module).content_string
    host.check_output(f"echo 'RELEASE = \"edited\"' > {module} && chmod 0666 {module}")

    rc, report = run_playbook()

    assert rc == 0, report["stats"]
    assert SERVE_RELEASE in changed_tasks(report, host.backend.get_hostname())
    assert host.file(module).content_string == original
    assert host.file(module).mode == 0o644


def test_releases_beyond_the_number_kept_are_pruned(host, cfg, converge, tmp_path):
    kept = 2
    before = set(releases(host, cfg))
    for number in range(4):
        release = tmp_path / f"echo{number}"
        shutil.copytree(SOURCE, release)
        (release / "echo_app" / "number.py").write_text(f"NUMBER = {number}\n")
        converge("-e", json.dumps({"flask_wsgi_app_src": str(release), "flask_wsgi_keep_releases": kept}))
        assert len(releases(host, cfg)) >= kept
    after = releases(host, cfg)
    # The current release and the one before it; the last good one is current.
    assert len(after) == kept
    assert not before & set(after)
    history = json.loads(host.file(f"{cfg.state_dir}/{cfg.site_name}/releases.json").content_string)
    assert {entry["id"] for entry in history} == set(after)
