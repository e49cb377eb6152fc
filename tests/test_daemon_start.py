"""The script each daemon process starts with (roles/flask_wsgi/files/
daemon_start.py): it loads the application's environment and pins the
release; run as a program, it starts a release command the same way."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "roles" / "flask_wsgi" / "files" / "daemon_start.py"


@pytest.fixture
def installed(tmp_path):
    """The script as the role installs it, <site>.start.py, with its
    environment file beside it."""
    path = tmp_path / "wsgi.start.py"
    path.write_bytes(SCRIPT.read_bytes())
    (tmp_path / "wsgi.start.json").write_text(json.dumps({"DATABASE_URL": "postgresql://db/app", "WORKERS": 4}))
    return path


def preload(script):
    """Run SCRIPT as mod_wsgi's WSGIImportScript does: as a module, not as a program."""
    exec(compile(script.read_text(), str(script), "exec"), {"__file__": str(script), "__name__": "_mod_wsgi_x"})


@pytest.fixture
def release(tmp_path):
    """An application directory: two releases, current naming the first."""
    root = tmp_path / "app"
    for name in ("r1", "r2"):
        (root / "releases" / name).mkdir(parents=True)
    (root / "current").symlink_to("releases/r1")
    return root


def test_preloaded_it_loads_the_environment_and_pins_the_release(installed, release, monkeypatch):
    monkeypatch.setattr(sys, "path", [str(release / "current"), ""])
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("WORKERS", raising=False)

    preload(installed)

    assert os.environ["DATABASE_URL"] == "postgresql://db/app"
    assert os.environ["WORKERS"] == "4"
    # A deploy that switches the link later changes nothing for this process.
    (release / "current").unlink()
    (release / "current").symlink_to("releases/r2")
    assert sys.path == [str(release / "releases" / "r1"), ""]


def test_without_an_environment_file_it_only_pins(installed, release, monkeypatch):
    installed.with_suffix(".json").unlink()
    monkeypatch.setattr(sys, "path", [str(release / "current")])
    preload(installed)
    assert sys.path == [str(release / "releases" / "r1")]


def test_a_release_command_gets_the_environment_and_the_release_s_virtualenv(installed, release):
    venv = release / "venvs" / "v1"
    (venv / "bin").mkdir(parents=True)
    (release / "releases" / "r1" / ".flask_wsgi_venv").symlink_to("../../venvs/v1")

    seen = release / "seen"
    subprocess.run(
        [sys.executable, str(installed), f'echo "$DATABASE_URL|$WORKERS|$VIRTUAL_ENV|${{PATH%%:*}}|$PWD" > {seen}'],
        cwd=release / "releases" / "r1",
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert seen.read_text().strip().split("|") == [
        "postgresql://db/app",
        "4",
        str(venv),
        str(venv / "bin"),
        str(release / "releases" / "r1"),
    ]


def test_a_failing_release_command_fails_with_its_status(installed, release):
    result = subprocess.run(
        [sys.executable, str(installed), "echo broken >&2; exit 3"],
        cwd=release / "releases" / "r1",
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (3, "broken\n")


def test_what_a_release_command_prints_has_the_environment_s_values_masked(installed, release):
    """As CI systems mask secrets: Ansible shows the output, in a failure
    message for one. A value too short to be a secret (4) stays."""
    result = subprocess.run(
        [sys.executable, str(installed), 'env | sort; echo "db: $DATABASE_URL" >&2; exit 5'],
        cwd=release / "releases" / "r1",
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 5
    assert "DATABASE_URL=********\n" in result.stdout
    assert "WORKERS=4\n" in result.stdout
    assert result.stderr == "db: ********\n"
    assert "postgresql://db/app" not in result.stdout + result.stderr


RECORDER = SCRIPT.with_name("daemon_record.py")
# What mod_wsgi does with each WSGIImportScript: the file run as a module of
# its own, kept in sys.modules; the start script first, the recorder last.
PRELOAD = """
import sys, types
for number, path in enumerate(sys.argv[1:]):
    module = types.ModuleType(f"_mod_wsgi_{number}")
    module.__file__ = path
    sys.modules[module.__name__] = module
    exec(compile(open(path, encoding="utf-8").read(), path, "exec"), module.__dict__)
print(repr(__import__("os").environ.get("GREETING")))
"""


def preload_with_the_recorder(installed, environment):
    """Preload the start script and the recorder in a daemon-like process
    with ENVIRONMENT; its record, and what it found in GREETING."""
    installed.with_suffix(".json").write_text(json.dumps({"GREETING": "grüße, $HOME `id` \\\\ 'q' \"qq\""}))
    recorder = installed.with_name("wsgi.daemons.py")
    recorder.write_bytes(RECORDER.read_bytes())
    records = installed.with_name("wsgi.daemons")
    records.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", PRELOAD, str(installed), str(recorder)],
        env=dict(environment, PATH="/usr/bin:/bin"),
        capture_output=True,
        text=True,
        check=True,
    )
    (record,) = [json.loads(path.read_text()) for path in records.iterdir()]
    return record, result


def test_the_recorder_notes_that_the_environment_loaded(installed):
    record, result = preload_with_the_recorder(installed, {"LC_ALL": "C.UTF-8"})

    assert record["environment"] == ""
    assert result.stdout.strip() == repr("grüße, $HOME `id` \\\\ 'q' \"qq\"")


def test_the_recorder_notes_why_the_environment_did_not_load_in_an_ascii_locale(installed):
    """Apache's children in the C locale, as on Debian 12 without lang=."""
    ascii_locale = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    record, result = preload_with_the_recorder(installed, ascii_locale)

    assert "'ascii' codec can't encode" in record["environment"]
    assert "could not load the application's environment" in result.stderr


def test_the_recorder_notes_a_start_script_that_did_not_run(installed):
    recorder = installed.with_name("wsgi.daemons.py")
    recorder.write_bytes(RECORDER.read_bytes())
    installed.with_name("wsgi.daemons").mkdir()
    subprocess.run(
        [sys.executable, "-c", PRELOAD, str(recorder)],
        capture_output=True,
        text=True,
        check=True,
    )
    (record,) = [json.loads(path.read_text()) for path in installed.with_name("wsgi.daemons").iterdir()]

    assert record["environment"] == f"{installed} did not run in this process"
