"""The application answers at its mount point, through Apache."""


def test_app_answers_at_mount_point(http_get, cfg):
    status, _ = http_get(cfg.url, cfg.server_name or None)
    assert status == 200


def test_nothing_is_served_outside_the_mount_point(http_get, cfg):
    status, _ = http_get(f"http://127.0.0.1:{cfg.port}/no-such-page", cfg.server_name or None)
    assert status == 404
