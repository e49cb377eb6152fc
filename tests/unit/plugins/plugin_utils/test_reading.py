"""What the one reading of a host asks, from the wanted state."""

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import plan
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.plugin_utils.test_plan import values, wanted

SERVER = {"all_packages": ["apache2"], "wanted_paths": [{"path": "/etc/apache2/mods-enabled/mpm_event.load"}]}


def reading(server=None, **changes):
    wanted_ = dict(wanted(**changes), apache_service="apache2")
    return wanted_, plan.reading_args(values(**changes), wanted_, server or {})


def test_the_reading_covers_every_compared_path_and_the_server_wide_ones():
    wanted_, args = reading(SERVER)
    assert args["paths"] == wanted_["wanted_paths"] + SERVER["wanted_paths"]
    assert args["packages"] == wanted_["all_packages"] + ["apache2"]
    assert args["trees"] == wanted_["code_trees"]
    assert args["releases"] == {"root": values()["flask_wsgi_app_dir"], "history": wanted_["release_history"]}
    assert args["healthcheck"] == wanted_["healthcheck"]
    assert (args["lock"], args["apps"]["exclude"]) == (True, values()["flask_wsgi_site_name"])
    assert "git" not in args
    assert "acme" not in args


def test_the_role_alone_reads_its_own_paths():
    wanted_, args = reading()
    assert args["paths"] == wanted_["wanted_paths"]
    assert args["packages"] == wanted_["all_packages"]


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"app_git_repo": "https://example.org/app.git"}, "git"),
        ({"healthcheck_enabled": False}, "healthcheck"),
    ],
)
def test_the_settings_add_or_leave_out_what_the_reading_asks(changes, key):
    args = reading(**changes)[1]
    if key == "git":
        assert args["git"] == {"repo": "https://example.org/app.git", "version": values()["flask_wsgi_app_git_version"]}
    else:
        assert key not in args


def test_an_application_to_remove_is_read_for_what_is_left():
    wanted_, args = reading(SERVER, state="absent")
    assert args["paths"] == [*wanted_["removed_paths"], {"path": wanted_["account_mark"]}, *SERVER["wanted_paths"]]
    assert args["packages"] == ["apache2"]
    assert "trees" not in args
    assert "healthcheck" not in args
