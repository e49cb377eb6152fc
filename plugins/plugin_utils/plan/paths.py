# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The shapes of the paths the plan wants (root's directories, files and
secrets) and the checksums it compares them by."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import PathEntry

# The role's variables (templated), as the plan reads them; the plan's
# result and a host reading, dicts of JSON values the tasks register and
# the action plugins pass back.
Values = Mapping[str, Any]
Plan = dict[str, Any]
Reading = Mapping[str, Any]


ROOT_DIRECTORY: PathEntry = {"type": "directory", "uid": 0, "gid": 0}
ROOT_FILE: PathEntry = {"type": "file", "uid": 0, "gid": 0, "mode": "0644"}
ROOT_SECRET: PathEntry = {"type": "file", "uid": 0, "gid": 0, "mode": "0600"}


def digest(*parts: Any) -> str:
    """A short SHA-1 of PARTS, each made a string."""
    return hashlib.sha1("\0".join(json.dumps(part, sort_keys=True) for part in parts).encode()).hexdigest()


def text_checksum(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()
