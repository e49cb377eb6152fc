"""The apache_links module: each of Debian's tools once, in an order a2enmod
accepts, for the entries whose link is not as it should be."""

from ansible_collections.flaskwsgi.deploy.plugins.modules import apache_links
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.modules.module_run import run_module

MODULE = apache_links.__file__


def entry(name, path, origin, source="module", present=True):
    return {"name": name, "path": str(path), "origin": origin, "source": source, "present": present}


def test_mpms_are_disabled_before_one_is_enabled_and_modules_before_sites():
    planned = apache_links.commands(
        [
            entry("site", "/etc/apache2/sites-enabled/wsgi.conf", "wsgi", "link"),
            entry("default_site", "/etc/apache2/sites-enabled/000-default.conf", "000-default", "link", False),
            entry("module:mpm_event", "/m/mpm_event.load", "mpm_event"),
            entry("module:mpm_prefork", "/m/mpm_prefork.load", "mpm_prefork", present=False),
            entry("hardening_enabled", "/etc/apache2/conf-enabled/h.conf", "h", "link"),
            entry("module:wsgi", "/m/wsgi.load", "wsgi"),
        ]
    )
    assert planned == [
        ["a2dismod", "-q", "-f", "mpm_prefork"],
        ["a2enmod", "-q", "mpm_event", "wsgi"],
        ["a2enconf", "-q", "h"],
        ["a2dissite", "-q", "000-default"],
        ["a2ensite", "-q", "wsgi"],
    ]


def run(tmp_path, entries, check=False):
    return run_module(MODULE, tmp_path, {"entries": entries}, check=check)


def test_only_the_links_not_as_they_should_be_count_and_check_mode_runs_nothing(tmp_path):
    enabled = tmp_path / "headers.load"
    enabled.symlink_to("../mods-available/headers.load")
    entries = [
        entry("module:headers", enabled, "headers"),
        entry("module:wsgi", tmp_path / "wsgi.load", "wsgi"),
        entry("autoindex", tmp_path / "autoindex.load", "autoindex", present=False),
        entry("vhost", tmp_path / "wsgi.conf", "wsgi.conf.j2", "template"),
    ]
    result = run(tmp_path, entries, check=True)
    assert result["changed_entries"] == ["module:wsgi"]
    assert result["commands"] == [["a2enmod", "-q", "wsgi"]]
    assert not (tmp_path / "wsgi.load").exists()
    assert run(tmp_path, entries[:1] + entries[2:], check=True)["changed"] is False


def test_a_tool_that_fails_fails_the_task_naming_it(tmp_path):
    result = run(tmp_path, [entry("module:nosuch", tmp_path / "nosuch.load", "nosuch")])
    assert result["failed"] is True
    assert "a2enmod -q nosuch" in result["msg"]
