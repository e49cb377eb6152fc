"""The daemon account: created, managed, adopted, used as it is, or never
taken over."""

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.accounts import account_verdict, ownership_mark

HOME, SHELL = "/var/lib/wsgi", "/usr/sbin/nologin"
SYSTEM = {"exists": True, "uid": 998, "home": HOME, "shell": SHELL}


def verdict(account, mark="", use_existing=False):
    return account_verdict(account, "wsgi", HOME, SHELL, mark, use_existing)


def test_a_missing_account_is_created():
    assert verdict({"exists": False}) == ("create", "")


def test_an_account_the_role_made_is_managed_even_after_hand_changes():
    changed_by_hand = SYSTEM | {"shell": "/bin/bash", "home": "/tmp"}
    assert verdict(changed_by_hand, ownership_mark("wsgi", 998)[1]) == ("manage", "")


def test_a_system_account_with_no_login_is_adopted():
    assert verdict(SYSTEM) == ("adopt", "")
    assert verdict(SYSTEM | {"shell": "/bin/false"}) == ("adopt", "")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"uid": 1000}, "UID 1000 is in the range of people's accounts"),
        ({"shell": "/bin/bash"}, "login shell /bin/bash"),
        ({"home": "/home/alice"}, "its home is /home/alice"),
    ],
)
def test_somebodys_account_is_refused(changes, reason):
    result, why = verdict(SYSTEM | changes)
    assert result == "refuse"
    assert reason in why


def test_a_mark_for_another_uid_does_not_make_the_account_the_roles():
    # The account was removed and another with the same name made since.
    human = SYSTEM | {"uid": 1001, "shell": "/bin/bash"}
    assert verdict(human, ownership_mark("wsgi", 998)[1])[0] == "refuse"


def test_an_existing_account_is_used_as_it_is_when_asked():
    human = SYSTEM | {"uid": 1001, "shell": "/bin/bash", "home": "/home/alice"}
    assert verdict(human, use_existing=True) == ("use", "")
    assert verdict({"exists": False}, use_existing=True)[0] == "refuse"
