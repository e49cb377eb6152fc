"""Tags limit a run to parts of the deploy (packages, app, tls, lb): what a
run leaves out is neither written, nor applied, nor recorded as live."""

import json

from conftest import changed_tasks, ran_tasks

VHOST = "/etc/apache2/sites-available/wsgi.conf"
KNOWN_GOOD = "/var/lib/flask_wsgi/wsgi/site.conf"
THREADS = json.dumps({"flask_wsgi_threads": 7})


def threads(host):
    return "threads=7" in host.file(VHOST).content_string


def test_a_run_without_the_application_leaves_it_as_it_is(host, converge):
    before = host.file(KNOWN_GOOD).sha256sum

    assert converge("--skip-tags", "app", "-e", THREADS) == []
    assert not threads(host)
    # Not recorded as live either: the next full run still applies it.
    assert host.file(KNOWN_GOOD).sha256sum == before


def test_a_run_of_the_application_alone_writes_and_applies_it(host, converge):
    changed = converge("--tags", "app", "-e", THREADS)

    assert "vhost" in changed
    assert "Apache reloaded" in changed
    assert threads(host)


def test_a_run_of_the_packages_alone_on_an_installed_host_reads_it_and_stops(host, run_playbook):
    rc, report = run_playbook("--tags", "packages", "-e", THREADS)
    name = host.backend.get_hostname()

    assert rc == 0, report["stats"]
    assert changed_tasks(report, name) == []
    assert "Deploy the host that differs, out of the load balancers' rotation" not in ran_tasks(report, name)
    assert not threads(host)


def test_a_preview_of_the_application_alone_changes_nothing(host, run_playbook):
    rc, report = run_playbook("--check", "--diff", "--tags", "app", "-e", THREADS)
    name = host.backend.get_hostname()

    assert rc == 0, report["stats"]
    assert "vhost" in changed_tasks(report, name)
    assert not threads(host)
