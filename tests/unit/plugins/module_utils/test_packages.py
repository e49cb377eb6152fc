"""Debian packages with apt-get: what is missing, when the index is stale,
the command lines and a failure in a sentence."""

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import packages


def test_missing_keeps_the_order_given_and_reads_only_installed_packages():
    status = "apache2\tii \npython3-flask\trc \nlibapache2-mod-wsgi-py3:amd64\tii \n"
    names = ["python3-flask", "apache2", "git", "libapache2-mod-wsgi-py3"]
    assert packages.missing(names, status) == ["python3-flask", "git"]


def test_nothing_is_missing_when_every_package_is_installed():
    assert packages.missing(["apache2"], "apache2\tii \n") == []


@pytest.mark.parametrize("status", ["iU ", "iF ", "un ", "hi "])
def test_a_package_half_installed_or_held_off_is_missing(status):
    assert packages.missing(["apache2"], f"apache2\t{status}\n") == ["apache2"]


@pytest.mark.parametrize(
    ("age", "valid", "stale"),
    [(None, 3600, True), (3601, 3600, True), (3600, 3600, False), (10, 3600, False), (1, 0, True)],
)
def test_index_stale(age, valid, stale):
    assert packages.index_stale(age, valid) is stale


def test_index_age_takes_the_newest_of_the_lists_and_the_stamp():
    assert packages.index_age(1000, 100, 900, True) == 100
    assert packages.index_age(1000, 950, None, True) == 50
    assert packages.index_age(1000, 950, 10, False) is None


def test_install_command_waits_for_the_lock_and_keeps_changed_conffiles():
    command = packages.install_command(["apache2", "git"], 60)
    assert command[:2] == ["apt-get", "install"]
    assert "DPkg::Lock::Timeout=60" in command
    assert "Dpkg::Options::=--force-confold" in command
    assert command[-3:] == ["--", "apache2", "git"]
    assert "--simulate" not in command
    assert "--simulate" in packages.install_command(["git"], 60, simulate=True)


def test_failure_text_names_the_packages_and_apt_errors():
    stderr = "W: something\nE: Unable to locate package nosuch\n"
    text = packages.failure_text("install", ["apache2", "nosuch"], 100, stderr, "")
    assert text == "apt-get install of apache2, nosuch failed (rc=100): E: Unable to locate package nosuch"


def test_failure_text_falls_back_to_the_output():
    assert packages.failure_text("update", ["git"], 1, "", "line 1\nline 2\n").endswith("line 1 line 2")
    assert packages.failure_text("update", ["git"], 1, "", "").endswith("exit status 1")
