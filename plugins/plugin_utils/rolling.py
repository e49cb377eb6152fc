# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The site playbook's rolling deploy settings as -e or an AWX survey gives
them. A survey's text field sends a string (``[1, "50%"]``, ``1, 5, 25%``,
``2``; ``10`` for a percentage); -e with JSON or YAML sends a list or a
number. Each comes out in the form the play keywords take, or a message
naming the variable. Plain Python, unit-tested."""

from __future__ import annotations

import json
import re
from typing import Any

# A batch: a number of hosts, or a share of the play's hosts.
Batch = int | str
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


class SettingError(ValueError):
    """A setting that is not what the play keyword takes; the message names it."""


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def batch(item: Any, name: str) -> Batch:
    """One batch of NAME: a whole number of hosts, at least 1, or a share
    from "1%" to "100%" (as a string: "5" is 5 hosts)."""
    if isinstance(item, bool):
        raise SettingError(f'{name}: a batch must be a number of hosts or a percentage such as "25%", not {item}')
    text = str(item).strip()
    share = PERCENT.fullmatch(text)
    if share:
        if not 0 < float(share.group(1)) <= 100:
            raise SettingError(f"{name}: a batch's percentage must be above 0% and at most 100%, not {text}")
        return f"{share.group(1)}%"
    number = _number(text)
    if number is None or number != int(number) or number < 1:
        raise SettingError(
            f'{name}: a batch must be a whole number of hosts (1 or more) or a percentage such as "25%", not {text!r}'
        )
    return int(number)


def batches(value: Any, name: str = "site_serial") -> list[Batch]:
    """The play's serial from VALUE: a list of batches (a number or a
    share of the hosts each), or one batch; as text, a JSON or YAML list
    ('[1, "50%"]'), batches split by commas ('1, 5, 25%'), or one ('2')."""
    items: Any = value
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                items = json.loads(text)
            except ValueError:
                # YAML's flow list, as -e key=value or a survey may write it: [1, 50%].
                items = [part.strip().strip("'\"") for part in text[1:].rstrip("]").split(",") if part.strip()]
        else:
            items = [part for part in text.split(",") if part.strip()]
    if not isinstance(items, list):
        items = [items]
    if not items:
        raise SettingError(f'{name}: give at least one batch, a number of hosts or a percentage such as "25%"')
    return [batch(item, name) for item in items]


def fail_percentage(value: Any, name: str = "site_max_fail_percentage") -> int | float:
    """The play's max_fail_percentage from VALUE: a number from 0 to 100,
    or its text ("10", or "10%")."""
    text = str(value).strip().removesuffix("%").strip()
    number = None if isinstance(value, bool) else _number(text)
    if number is None or not 0 <= number <= 100:
        raise SettingError(f"{name}: must be a percentage from 0 to 100, not {str(value)!r}")
    return int(number) if number == int(number) else number
