"""The daemons' system account: no login shell, a home of its own."""


def test_group_is_a_system_group(host, cfg):
    group = host.group(cfg.group)
    assert group.exists
    assert group.gid < 1000


def test_user_is_a_system_user_in_its_group(host, cfg):
    user = host.user(cfg.user)
    assert user.exists
    assert user.uid < 1000
    assert user.group == cfg.group


def test_user_has_no_login_shell(host, cfg):
    assert host.user(cfg.user).shell == cfg.user_shell
    assert host.file(cfg.user_shell).exists
    login = host.run(f"su {cfg.user} -c true")
    assert login.rc != 0
    assert "not available" in login.stdout + login.stderr


def test_user_home_belongs_to_the_user(host, cfg):
    assert host.user(cfg.user).home == cfg.user_home
    home = host.file(cfg.user_home)
    assert home.is_directory
    assert home.user == cfg.user
    assert home.group == cfg.group
    assert home.mode == 0o750
