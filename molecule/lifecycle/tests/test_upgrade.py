"""A host deployed by the earlier layout (0.1.0: the code, the WSGI script
and the requirements in the application directory itself, the virtualenv
beside it, a last good copy of the code in the state directory): what it
left goes once a release of this layout serves, and a rerun changes
nothing."""


def earlier_layout(cfg):
    return {
        f"{cfg.app_dir}/{cfg.script_name}": f"{cfg.app_dir}/{cfg.script_name}",
        f"{cfg.app_dir}/shop/__init__.py": f"{cfg.app_dir}/shop",
        f"{cfg.app_dir}/requirements.txt": f"{cfg.app_dir}/requirements.txt",
        f"{cfg.app_dir}-venv/pyvenv.cfg": f"{cfg.app_dir}-venv",
        f"{cfg.state_dir}/{cfg.site_name}/code/shop/__init__.py": f"{cfg.state_dir}/{cfg.site_name}/code",
        f"{cfg.state_dir}/{cfg.site_name}/restart-pending": f"{cfg.state_dir}/{cfg.site_name}/restart-pending",
    }


def test_what_the_earlier_layout_left_goes_once_a_release_serves(host, cfg, converge, http_get):
    left = earlier_layout(cfg)
    for path in left:
        host.check_output(f"mkdir -p $(dirname {path}) && echo earlier > {path}")
    site_conf = host.file(f"{cfg.state_dir}/{cfg.site_name}/site.conf").content_string

    changed = converge()

    assert "Remove what the earlier layout left" in changed
    for top in left.values():
        assert not host.file(top).exists, top
    for kept in ("current", "releases", "venvs"):
        assert host.file(f"{cfg.app_dir}/{kept}").exists, kept
    assert host.file(f"{cfg.state_dir}/{cfg.site_name}/site.conf").content_string == site_conf
    assert http_get(f"{cfg.url}/")[0] == 200
    assert converge() == []


def test_a_directory_beside_the_application_that_is_no_virtualenv_stays(host, cfg, converge):
    beside = f"{cfg.app_dir}-venv"
    host.check_output(f"mkdir -p {beside} && echo mine > {beside}/notes.txt")
    try:
        assert converge() == []
        assert host.file(f"{beside}/notes.txt").exists
    finally:
        host.check_output(f"rm -r {beside}")
