# Managed by the flaskwsgi.deploy.flask_wsgi role.
#
# mod_wsgi preloads this in every daemon process of the site's group, right
# after the site's WSGI script (WSGIImportScript). It records, for this
# process, which WSGI scripts it loaded and their modification times, and
# whether the start script beside it (<site>.start.py) loaded the
# application's environment, in the directory named like this file without
# ".py". The role's health check reads the records to tell that every
# process, not only the one a request reaches, loaded the application and
# its environment (plugins/module_utils/daemons.py).
import json
import os
import sys

_RECORDS = os.path.splitext(__file__)[0]
# <site>.daemons.py records; <site>.start.py loads the environment.
_START = os.path.splitext(_RECORDS)[0] + ".start.py"


def _scripts():
    """The WSGI scripts mod_wsgi loaded into this process, with their
    modification times; a script whose import failed is not among them."""
    scripts = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        # Not the role's own preloaded scripts, which sit beside this one.
        if name.startswith("_mod_wsgi_") and path and os.path.dirname(path) != os.path.dirname(__file__):
            try:
                # By the file it is, not the path it was reached by: a
                # release's script through the "current" link.
                scripts[os.path.realpath(path)] = os.stat(path).st_mtime_ns
            except OSError:
                continue
    return scripts


def _environment_error():
    """Why the start script did not load the environment into this process,
    or "" when it did."""
    start = os.path.realpath(_START)
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and os.path.realpath(path) == start:
            return getattr(module, "ENVIRONMENT_ERROR", "")
    return f"{_START} did not run in this process"


def _record():
    with open("/proc/self/stat", encoding="utf-8") as handle:
        start = handle.read().rpartition(")")[2].split()[19]
    pid = os.getpid()
    temporary = os.path.join(_RECORDS, f".{pid}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"start": start, "scripts": _scripts(), "environment": _environment_error()}, handle)
    os.replace(temporary, os.path.join(_RECORDS, str(pid)))
    # The records of processes that are gone.
    for name in os.listdir(_RECORDS):
        if name.isdigit() and not os.path.exists(f"/proc/{name}"):
            try:
                os.unlink(os.path.join(_RECORDS, name))
            except OSError:
                continue


try:
    _record()
except OSError as error:
    print(f"flask_wsgi: could not record this daemon process's loading: {error}", file=sys.stderr)
