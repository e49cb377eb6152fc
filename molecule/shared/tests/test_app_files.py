"""The code is root's: the daemons can read it but never change it."""

import hashlib


def test_app_dir_is_owned_by_root(host, cfg):
    app_dir = host.file(cfg.app_dir)
    assert app_dir.is_directory
    assert (app_dir.user, app_dir.group) == ("root", "root")
    assert app_dir.mode == 0o755


def test_script_is_the_configured_source(host, cfg):
    script = host.file(cfg.script_path)
    assert script.is_file
    assert (script.user, script.group) == ("root", "root")
    assert script.mode == 0o644
    assert script.sha256sum == hashlib.sha256(cfg.script_source.read_bytes()).hexdigest()


def test_daemon_user_can_read_but_not_write_the_code(host, cfg):
    for path in (cfg.app_dir, cfg.script_path):
        assert host.run(f"runuser -u {cfg.user} -- test -r {path}").rc == 0, path
        assert host.run(f"runuser -u {cfg.user} -- test -w {path}").rc == 1, path
