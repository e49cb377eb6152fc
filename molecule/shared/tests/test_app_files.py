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
    # The file itself, not the current link the path goes through.
    path = host.file(host.check_output(f"realpath {getattr(cfg, attribute)}"))
    assert path.is_directory if kind == "directory" else path.is_file
    assert (path.user, path.group, path.mode) == ("root", "root", mode)


def test_the_current_release_is_a_root_owned_link_into_the_releases(host, cfg):
    current = host.file(cfg.current)
    assert current.is_symlink
    assert current.user == "root"
    assert current.linked_to.startswith(f"{cfg.app_dir}/releases/")
    release = host.file(current.linked_to)
    assert (release.user, release.group, release.mode) == ("root", "root", 0o755)


def test_script_is_the_configured_source(host, cfg):
    script = host.file(cfg.script_path)
    assert script.sha256sum == hashlib.sha256(cfg.script_source.read_bytes()).hexdigest()


def test_daemon_user_can_read_but_not_write_the_code(host, cfg):
    for path in (cfg.app_dir, cfg.script_path):
        assert host.run(f"runuser -u {cfg.user} -- test -r {path}").rc == 0, path
        assert host.run(f"runuser -u {cfg.user} -- test -w {path}").rc == 1, path
