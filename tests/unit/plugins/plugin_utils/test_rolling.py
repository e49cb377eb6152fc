"""The site playbook's serial and max_fail_percentage as -e or an AWX
survey gives them (plugin_utils/rolling.py, and its two filters)."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.flaskwsgi.deploy.plugins.filter.fail_percentage import fail_percentage
from ansible_collections.flaskwsgi.deploy.plugins.filter.serial_batches import serial_batches
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import rolling


@pytest.mark.parametrize(
    ("given", "batches"),
    [
        # -e with JSON or YAML, and the default.
        ([1, "50%"], [1, "50%"]),
        (3, [3]),
        ("25%", ["25%"]),
        # A survey's text field.
        ('[1, "50%"]', [1, "50%"]),
        ("[1,'50%']", [1, "50%"]),
        ("[1, 50%]", [1, "50%"]),
        ("1, 5, 25%", [1, 5, "25%"]),
        ("2", [2]),
        (" 50 % ", ["50%"]),
        (["1", "10%"], [1, "10%"]),
        ("2.0", [2]),
    ],
)
def test_serial_takes_lists_numbers_and_a_survey_s_text(given, batches):
    assert rolling.batches(given) == batches
    assert serial_batches(given) == batches


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("0", "not '0'"),
        ("1.5", "not '1.5'"),
        ("x", "not 'x'"),
        ("150%", "at most 100%, not 150%"),
        ("0%", "above 0%"),
        ("", "at least one batch"),
        ("[]", "at least one batch"),
        (" , ", "at least one batch"),
        (True, "not True"),
        ([None], "not 'None'"),
    ],
)
def test_a_serial_the_play_cannot_take_is_refused_naming_the_variable(given, says):
    with pytest.raises(rolling.SettingError, match="^site_serial: ") as refused:
        rolling.batches(given)
    assert says in str(refused.value)
    with pytest.raises(AnsibleFilterError, match="^my_serial: "):
        serial_batches(given, "my_serial")


@pytest.mark.parametrize(
    ("given", "percentage"), [(0, 0), ("10", 10), ("10%", 10), (" 25 % ", 25), ("5.5", 5.5), (100, 100)]
)
def test_max_fail_percentage_takes_numbers_and_a_survey_s_text(given, percentage):
    assert rolling.fail_percentage(given) == percentage
    assert fail_percentage(given) == percentage


@pytest.mark.parametrize("given", ["x", "101", -1, True, "", None])
def test_a_percentage_outside_0_to_100_is_refused_naming_the_variable(given):
    with pytest.raises(rolling.SettingError, match="^site_max_fail_percentage: must be a percentage from 0 to 100"):
        rolling.fail_percentage(given)
    with pytest.raises(AnsibleFilterError, match="^site_max_fail_percentage: "):
        fail_percentage(given)
