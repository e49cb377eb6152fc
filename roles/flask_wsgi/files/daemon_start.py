# Managed by the flaskwsgi.deploy.flask_wsgi role.
#
# mod_wsgi preloads this in every daemon process of the site's group before
# the site's WSGI script (WSGIImportScript, in the main interpreter). It
#
# - puts the application's environment (flask_wsgi_environment), kept in the
#   JSON file named like this one with ".json" for ".py", root's and
#   readable by the daemons' group only, into os.environ: it reaches the
#   application without appearing in Apache's configuration or in `ps`.
#   When it cannot, ENVIRONMENT_ERROR says why, and the recorder preloaded
#   after the application notes it for the health check;
# - pins the release: the paths mod_wsgi put on sys.path through the
#   application's "current" link are replaced by the release they name now,
#   so that a module the application imports later still comes from the
#   release this process started with, even after a deploy switched the link.
#
# Run as a program, it starts a release command (flask_wsgi_release_commands)
# the same way: `python3 <this file> COMMAND` in the release directory runs
# COMMAND with /bin/sh, with the environment and the release's virtualenv.
# What the command prints is passed on with every value of the environment
# of MASKED_MINIMUM characters or more masked, as CI systems mask secrets:
# Ansible shows it, in a failure message for one.
import json
import os
import subprocess
import sys

_ENVIRONMENT = os.path.splitext(__file__)[0] + ".json"
_VENV_LINK = ".flask_wsgi_venv"
MASK = "********"
MASKED_MINIMUM = 6


def _load_environment():
    """Put the environment file's variables into os.environ; their values."""
    try:
        with open(_ENVIRONMENT, encoding="utf-8") as handle:
            values = json.load(handle)
    except FileNotFoundError:
        return []
    for name, value in values.items():
        os.environ[name] = str(value)
    return [str(value) for value in values.values()]


def masked(output, values):
    """OUTPUT (bytes) with each of VALUES of MASKED_MINIMUM characters or
    more replaced by MASK, the longest first."""
    for value in sorted((value for value in values if len(value) >= MASKED_MINIMUM), key=len, reverse=True):
        output = output.replace(value.encode(), MASK.encode())
    return output


def _pin_release():
    sys.path[:] = [os.path.realpath(entry) if entry else entry for entry in sys.path]


def _run(command):
    values = _load_environment()
    venv = os.path.realpath(_VENV_LINK)
    if os.path.isdir(os.path.join(venv, "bin")):
        os.environ["VIRTUAL_ENV"] = venv
        os.environ["PATH"] = os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin")
    result = subprocess.run(["/bin/sh", "-c", command], stdin=subprocess.DEVNULL, capture_output=True, check=False)
    for stream, output in ((sys.stdout, result.stdout), (sys.stderr, result.stderr)):
        stream.buffer.write(masked(output, values))
        stream.flush()
    return result.returncode


if __name__ == "__main__":
    sys.exit(_run(sys.argv[1]))
else:
    ENVIRONMENT_ERROR = ""
    try:
        _load_environment()
    except (OSError, ValueError) as error:
        ENVIRONMENT_ERROR = str(error)
        print(f"flask_wsgi: could not load the application's environment: {error}", file=sys.stderr)
    _pin_release()
