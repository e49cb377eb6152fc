"""What is deployed where (plugin_utils/status.py): the reading's
arguments, a host's row and the table."""

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import status
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.plugin_utils.test_plan import values

HISTORY = [
    {"id": "a1", "source": "1" * 40, "switched": "2026-12-01T10:00:00Z", "good": True},
    {"id": "b2", "source": "2" * 40, "switched": "2026-12-02T10:00:00Z", "good": True},
    {"id": "c3", "source": "3" * 40, "switched": "2026-12-03T10:00:00Z"},
    {"id": "b2", "source": "2" * 40, "switched": "2026-12-04T10:00:00Z", "good": True},
]


def reading(**changes):
    found = {
        "releases": {"current": "b2", "releases": ["a1", "b2", "c3"], "venvs": [], "history": HISTORY},
        "healthcheck": {"status": 200, "healthy": True, "daemons": {"summary": "3 of 3 processes loaded it"}},
        "apps": [{"site": "api", "enabled": True, "healthy": False}, {"site": "old", "enabled": False}],
    }
    found.update(changes)
    return found


def test_the_reading_asks_the_releases_the_health_and_the_other_apps():
    args = status.reading_args(values())
    assert args["releases"] == {"root": "/var/www/flaskapp", "history": "/var/lib/flask_wsgi/wsgi/releases.json"}
    assert args["apps"] == {"dir": "/var/lib/flask_wsgi", "exclude": "wsgi"}
    assert args["healthcheck"]["url"] == "http://127.0.0.1:80/app/"
    assert args["healthcheck"]["daemons"]["script"] == "/var/www/flaskapp/current/flaskapp.wsgi"
    assert "wait" not in args["healthcheck"]
    assert "healthcheck" not in status.reading_args(values(healthcheck_enabled=False))


def test_a_row_says_what_is_served_since_when_and_where_a_rollback_goes():
    row = status.row(values(), reading(), ["web2"])
    assert (row["host"], row["site"], row["release"]) == ("web1", "wsgi", "b2")
    # Its last switch: served again after c3 failed.
    assert (row["source"], row["live_since"], row["good"]) == ("2" * 40, "2026-12-04T10:00:00Z", True)
    assert row["releases"] == ["a1", "b2", "c3"]
    assert (row["previous"], row["last_good"]) == ("c3", "b2")
    assert (row["healthy"], row["status"], row["answer"]) == (True, 200, "3 of 3 processes loaded it")
    assert row["in_rotation"] is True
    assert row["other_apps"] == [
        {"site": "api", "enabled": True, "healthy": False},
        {"site": "old", "enabled": False, "healthy": None},
    ]


def test_a_host_with_nothing_served_out_of_rotation_and_failing():
    empty = reading(
        releases={"current": "", "releases": [], "venvs": [], "history": []},
        healthcheck={"status": 0, "healthy": False, "error": "connection refused"},
        apps=[],
    )
    row = status.row(values(), empty, ["web1"])
    assert (row["release"], row["source"], row["previous"], row["last_good"]) == ("", "", "", "")
    assert (row["healthy"], row["answer"], row["in_rotation"]) == (False, "connection refused", False)
    assert status.row(values(), empty, None)["in_rotation"] is None


def test_the_table_has_a_line_a_host_and_one_an_other_app():
    rows = [status.row(values(), reading(), None), status.row(dict(values(), inventory_hostname="web2"), reading(), [])]
    lines = status.table(rows)
    assert lines[0].split() == [
        "HOST",
        "APP",
        "RELEASE",
        "SOURCE",
        "LIVE",
        "SINCE",
        "KEPT",
        "ROLLBACK",
        "TO",
        "HEALTH",
        "TRAFFIC",
    ]
    assert lines[1].split() == ["web1", "wsgi", "b2", "2" * 12, "2026-12-04T10:00:00Z", "3", "c3", "ok", "-"]
    assert lines[2].split()[-2:] == ["in", "rotation"]
    assert lines[3:] == [
        "web1: also api (FAILING)",
        "web1: also old (disabled)",
        "web2: also api (FAILING)",
        "web2: also old (disabled)",
    ]
    # The columns line up.
    assert len({line.index("wsgi") for line in lines[1:3]}) == 1
