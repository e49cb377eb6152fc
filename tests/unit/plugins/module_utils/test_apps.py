"""The applications sharing one host: their records, which of them Apache
could not tell apart on a shared port, and which still answer."""

import json
import os

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import apps

CHECK = {"url": "http://127.0.0.1/app/", "headers": {}, "status_codes": [200]}


def other(site, ports=(80,), names=(), enabled=True, healthy=True):
    entry = apps.record(site, f"/etc/apache2/sites-enabled/{site}.conf", ports, names, CHECK)
    return dict(entry, enabled=enabled, healthy=healthy)


def test_a_record_keeps_what_the_other_applications_need():
    entry = apps.record("shop", "/l/shop.conf", [443, "80", 80], ["", "x.test"], dict(CHECK, wait=3, daemons={}))
    assert entry == {
        "site": "shop",
        "site_link": "/l/shop.conf",
        "ports": [80, 443],
        "names": ["x.test"],
        "healthcheck": {"url": CHECK["url"], "headers": {}, "status_codes": [200], "timeout": 10},
    }
    assert json.loads(apps.record_text(entry)) == entry


@pytest.mark.parametrize(
    ("ours", "theirs", "clash"),
    [
        ([], [], ["(no server name)"]),
        (["a.test"], [], ["(no server name)"]),
        ([], ["b.test"], ["(no server name)"]),
        (["a.test"], ["b.test"], []),
        (["A.test"], ["a.TEST"], ["a.test"]),
        (["a.test", "www.a.test"], ["*.a.test"], ["www.a.test"]),
        (["*.a.test"], ["shop.a.test"], ["*.a.test"]),
    ],
)
def test_names_clash_when_apache_could_not_tell_the_hosts_apart(ours, theirs, clash):
    assert apps.name_clash(ours, theirs) == clash


def test_two_sites_with_no_name_on_one_port_conflict():
    found = apps.port_conflicts("second", [80], [], [other("first")])
    assert found == [
        "the site second and the site first (already on the host) would both answer on port 80 with no server name"
    ]
    message = apps.conflict_message("second", "web1", found)
    assert "flask_wsgi_server_name" in message
    assert "flask_wsgi_port" in message
    assert "second" in message
    assert "first" in message


@pytest.mark.parametrize(
    ("ports", "names", "others"),
    [
        ([8080], [], [other("first")]),
        ([80], ["b.test"], [other("first", names=["a.test"])]),
        ([80], [], [other("first", enabled=False)]),
        ([80], [], [other("same")]),
        ([80], [], [{"site": "broken", "enabled": False, "error": "unreadable"}]),
    ],
    ids=["other-port", "other-names", "disabled", "itself", "unreadable"],
)
def test_no_conflict(ports, names, others):
    assert apps.port_conflicts("same", ports, names, others) == []


def test_a_shared_https_port_conflicts_on_a_shared_name():
    found = apps.port_conflicts("b", [8080, 443], ["x.test"], [other("a", ports=[80, 443], names=["x.test"])])
    assert found == ["the site b and the site a (already on the host) would both answer on port 443 for x.test"]


def write(directory, site, entry):
    os.makedirs(directory / site, exist_ok=True)
    (directory / site / apps.RECORD).write_text(entry if isinstance(entry, str) else apps.record_text(entry))


def test_records_are_read_but_the_excluded_one(tmp_path):
    link = tmp_path / "shop.conf"
    link.write_text("")
    write(tmp_path, "shop", apps.record("shop", str(link), [80], [], CHECK))
    write(tmp_path, "blog", apps.record("blog", str(tmp_path / "gone.conf"), [81], [], CHECK))
    write(tmp_path, "me", apps.record("me", str(link), [80], [], CHECK))
    write(tmp_path, "junk", "{not json")
    (tmp_path / "shop.daemons").mkdir()
    records = apps.read_records(str(tmp_path), exclude="me")
    assert [(entry["site"], entry["enabled"]) for entry in records] == [
        ("blog", False),
        ("junk", False),
        ("shop", True),
    ]
    assert "unreadable" in records[1]["error"]
    assert apps.read_records(str(tmp_path / "none")) == []


def test_only_enabled_applications_are_asked():
    asked = []

    def check(healthcheck):
        asked.append(healthcheck["url"])
        return {"status": 404, "healthy": False, "error": ""}

    answers = apps.answers([other("a"), other("b", enabled=False)], check)
    assert answers == [{"site": "a", "healthy": False, "said": "http://127.0.0.1/app/ answered 404"}]
    assert asked == [CHECK["url"]]
    assert apps.answering({"apps": [other("a"), other("b", healthy=False)]}) == ["a"]
    assert apps.answering({}) == []


class Clock:
    def __init__(self):
        self.now = 0.0

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_an_application_that_comes_back_within_the_wait_passes():
    clock = Clock()

    def check(healthcheck):
        up = clock.now >= 1
        return {"status": 200 if up else 0, "healthy": up, "error": "" if up else "refused"}

    assert apps.still_answering([other("a")], ["a"], check, 5, clock.time, clock.sleep) == []
    assert clock.now >= 1


def test_one_that_does_not_is_named_with_what_it_said():
    clock = Clock()

    def check(healthcheck):
        return {"status": 404, "healthy": False, "error": ""}

    records = [other("a"), other("b", enabled=False)]
    failing = apps.still_answering(records, ["a", "b", "gone"], check, 2, clock.time, clock.sleep)
    assert [entry["site"] for entry in failing] == ["b", "a", "gone"]
    assert failing[0]["said"] == "its site (/etc/apache2/sites-enabled/b.conf) is not enabled"
    assert failing[1]["said"] == "http://127.0.0.1/app/ answered 404"
    assert failing[2]["said"] == "no record of it"
    assert 2 <= clock.now < 2.5
    message = apps.failing_message(failing, "Apache's reload for shop")
    assert message.startswith("flask_wsgi: after Apache's reload for shop, other applications")
    assert "a: http://127.0.0.1/app/ answered 404" in message
