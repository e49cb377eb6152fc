"""The code and configuration are root's: the daemons can read the code but
never change it."""

import hashlib

import pytest

ROOT_OWNED = [
    ("app_dir", "directory", 0o755),
    ("document_root", "directory", 0o755),
    ("script_path", "file", 0o644),
    ("vhost_path", "file", 0o644),
]


@pytest.mark.parametrize(("attribute", "kind", "mode"), ROOT_OWNED, ids=[row[0] for row in ROOT_OWNED])
def test_managed_path_is_root_owned(host, cfg, attribute, kind, mode):
    path = host.file(getattr(cfg, attribute))
    assert path.is_directory if kind == "directory" else path.is_file
    assert (path.user, path.group, path.mode) == ("root", "root", mode)


def test_script_is_the_configured_source(host, cfg):
    script = host.file(cfg.script_path)
    assert script.sha256sum == hashlib.sha256(cfg.script_source.read_bytes()).hexdigest()


def test_daemon_user_can_read_but_not_write_the_code(host, cfg):
    for path in (cfg.app_dir, cfg.script_path):
        assert host.run(f"runuser -u {cfg.user} -- test -r {path}").rc == 0, path
        assert host.run(f"runuser -u {cfg.user} -- test -w {path}").rc == 1, path
