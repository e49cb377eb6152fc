# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The release a run serves: what the controller builds (its files, its id,
its archive, the virtualenv it links to) and, from the host reading, whether
it must be built, switched to or checked again."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from collections.abc import Mapping
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import releases as rel
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import Tree, file_checksum, wanted_tree
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import digest

# 2000-01-01, the modification time of every file in a release archive.
ARCHIVE_MTIME = 946684800
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import Reading, Values


def entry_point_script(entry_point: str) -> str:
    """The WSGI script that hands mod_wsgi the application ENTRY_POINT
    ("module:callable") under the name it calls."""
    module, attribute = entry_point.split(":", 1)
    return (
        "# Managed by the flaskwsgi.deploy.flask_wsgi role.\n"
        f"# The script mod_wsgi loads: it hands over {entry_point} under the name mod_wsgi calls.\n"
        f"from {module} import {attribute} as application\n"
    )


def venv_id(values: Values, requirements_checksum: str) -> str:
    """The virtualenv the requirements whose SHA-1 is REQUIREMENTS_CHECKSUM
    get, with this index and these pip options: another release with the
    same requirements shares it."""
    return digest(
        requirements_checksum,
        values["flask_wsgi_pip_index_url"],
        list(values["flask_wsgi_pip_extra_args"]),
        bool(values["flask_wsgi_pip_ca_bundle"]),
    )[:12]


def venv_paths(venvs_dir: str, venv: str) -> dict[str, str]:
    """Where the release's link to the virtualenv VENV points, its path,
    and the file that marks it complete."""
    return {
        "release_venv": venv,
        "release_venv_target": rel.venv_link_target(venv),
        "release_venv_path": f"{venvs_dir}/{venv}",
        "release_venv_complete": f"{venvs_dir}/{venv}/{rel.VENV_COMPLETE}",
    }


def git_release_id(commit: str, script_checksum: str, script_name: str, values: Values) -> str:
    """A release from git: the commit, then a digest of what else goes into
    it (the WSGI script, the pip settings its virtualenv is built with)."""
    return f"{commit[:12]}-{digest(script_checksum, script_name, venv_id(values, ''))[:8]}"


def release_files(values: Values, script: bytes) -> Tree:
    """What a release built on the controller holds (the code directory, if
    any, and the WSGI script SCRIPT, bytes), described as the host reading
    describes a tree; the virtualenv link comes in release_plan."""
    script_name = values["flask_wsgi_script_name"]
    source = values["flask_wsgi_app_src"]
    files: Tree = {}
    if source:
        files = wanted_tree(source, [script_name, rel.VENV_LINK])
    files[script_name] = {
        "type": "file",
        "uid": 0,
        "gid": 0,
        "mode": "0644",
        "checksum": hashlib.sha1(script).hexdigest(),
    }
    return files


def release_plan(values: Values, script: bytes) -> dict[str, Any]:
    """The release the variables make, when the controller can tell it
    (a code directory, or the WSGI script alone): its "id", its "files" and
    the "venv" it links to; with git, the id waits for the commit."""
    source = values["flask_wsgi_app_src"]
    files = release_files(values, script)
    venv = ""
    if values["flask_wsgi_requirements_file"] and source:
        requirements = os.path.join(source, values["flask_wsgi_requirements_file"])
        checksum = ""
        if os.path.isfile(requirements):
            checksum = file_checksum(requirements)
        venv = venv_id(values, checksum)
        files[rel.VENV_LINK] = {"type": "link", "uid": 0, "gid": 0, "mode": "0777"}
    if values["flask_wsgi_app_git_repo"]:
        return {"id": "", "files": files, "venv": ""}
    return {"id": digest(files, venv)[:12], "files": files, "venv": venv}


def release_archive(path: str, values: Values, script: bytes, venv: str) -> str:
    """Write to PATH the tar archive of the release: the code directory as
    the role deploys it (root's, u=rwX,go=rX), the WSGI script SCRIPT and
    the link to the virtualenv VENV."""
    source = values["flask_wsgi_app_src"]

    def add(archive: tarfile.TarFile, info: tarfile.TarInfo, data: bytes | None = None) -> None:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        # The same archive for the same release, so that unpacking it over
        # the release as it should be changes nothing.
        info.mtime = ARCHIVE_MTIME
        archive.addfile(info, io.BytesIO(data) if data is not None else None)

    with tarfile.open(path, "w") as archive:
        for name, entry in release_files(values, script).items():
            info = tarfile.TarInfo(name)
            info.mode = int(entry["mode"], 8)
            if entry["type"] == "directory":
                info.type = tarfile.DIRTYPE
                add(archive, info)
            elif name == values["flask_wsgi_script_name"]:
                info.size = len(script)
                add(archive, info, script)
            else:
                with open(os.path.join(source, name), "rb") as handle:
                    data = handle.read()
                info.size = len(data)
                add(archive, info, data)
        if venv:
            info = tarfile.TarInfo(rel.VENV_LINK)
            info.type = tarfile.SYMTYPE
            info.linkname = rel.venv_link_target(venv)
            add(archive, info)
    return path


def release_wanted(values: Values, plan: Mapping[str, Any], host: Reading) -> dict[str, Any]:
    """The release this run serves, from the host reading's "releases" and
    "git": its "id", "build" (it must be built: it never was switched to),
    "switch" (current names another), "pending" (it was switched to but
    never passed its health check), "source" (for the history) and
    "error" (why it cannot be served, naming the variable)."""
    releases = host.get("releases") or {"current": "", "releases": [], "history": [], "venvs": []}
    current, history = releases["current"], releases["history"]
    switched = {entry["id"]: entry for entry in history}
    wanted_release = str(values.get("flask_wsgi_release") or "")
    source, error = "", ""
    if wanted_release:
        # On demand: a release already on the host, nothing built.
        release, error = rel.resolve(wanted_release, history, current, releases["releases"])
        if error:
            error = f"flask_wsgi: flask_wsgi_release is {wanted_release}, but {error}."
        build = False
    elif values["flask_wsgi_app_git_repo"]:
        # Resolved by the host reading, once git is installed.
        git = host.get("git") or {}
        commit = git.get("commit", "")
        release = (
            git_release_id(commit, plan["script_checksum"], values["flask_wsgi_script_name"], values) if commit else ""
        )
        source = f"git {commit}"
        if not commit and host.get("packages", {}).get("git"):
            error = (
                f"flask_wsgi: flask_wsgi_app_git_version {values['flask_wsgi_app_git_version']} of "
                f"flask_wsgi_app_git_repo {values['flask_wsgi_app_git_repo']} could not be resolved: "
                f"{git.get('error')}."
            )
        build = release not in switched or release not in releases["releases"]
    else:
        release = plan["release"]["id"]
        source = f"directory {values['flask_wsgi_app_src']}" if values["flask_wsgi_app_src"] else "script"
        build = release not in switched or release not in releases["releases"]
    return {
        "id": release,
        "build": build,
        "switch": release != current,
        "pending": bool(release) and not switched.get(release, {}).get("good"),
        "source": source,
        "error": error,
    }
