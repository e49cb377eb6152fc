"""The documentation is generated from, and agrees with, the roles' argument specs."""

import importlib.util
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
ROLES = sorted(
    path.name for path in (PROJECT_DIR / "roles").iterdir() if (path / "meta" / "argument_specs.yml").is_file()
)
# Every module and filter the collection ships, by FQCN.
PLUGINS = [
    ("module", f"flaskwsgi.deploy.{path.stem}") for path in sorted((PROJECT_DIR / "plugins" / "modules").glob("*.py"))
]
PLUGINS += [("filter", f"flaskwsgi.deploy.{name}") for name in ("backend_address",)]

spec = importlib.util.spec_from_file_location("variables_table", PROJECT_DIR / "scripts" / "variables-table.py")
variables_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(variables_table)


def test_the_variables_in_the_docs_match_the_argument_specs():
    readme = (PROJECT_DIR / "README.md").read_text()
    tables = (PROJECT_DIR / "docs" / "variables.md").read_text()

    for role in ROLES:
        assert f"<!-- variable-names:{role} -->" in readme
        assert f"<!-- variables:{role} -->" in tables
        assert f"\n## {role}\n" in tables, "the README links to the role's heading"
    for path in variables_table.FILES:
        text = path.read_text()
        assert variables_table.render(text) == text, f"{path.name} is stale: run scripts/variables-table.py"


def test_every_variable_carries_the_role_prefix():
    for role in ROLES:
        table = variables_table.table(role)
        assert table.count("\n| `") == table.count(f"\n| `{role}_"), f"{role}: a variable without the role prefix"


@pytest.mark.parametrize("role", ROLES)
def test_ansible_doc_renders_the_role(role):
    result = subprocess.run(
        [PROJECT_DIR / ".venv" / "bin" / "ansible-doc", "--type", "role", f"flaskwsgi.deploy.{role}"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "ANSIBLE_NOCOLOR": "1"},
    )

    assert result.returncode == 0, result.stderr
    assert f"{role}_" in result.stdout
    assert "ENTRY POINT: *main*" in result.stdout
    # Each variable once, under main: the other entry points refer to it.
    options = {
        point: set(spec.get("options") or {})
        for point, spec in yaml.safe_load((PROJECT_DIR / "roles" / role / "meta" / "argument_specs.yml").read_text())[
            "argument_specs"
        ].items()
    }
    for point, names in options.items():
        assert point == "main" or not names & options["main"], f"{role}:{point} repeats main's variables"
    listed = re.findall(r"^[-=] (\w+)", result.stdout, re.MULTILINE)
    assert sorted(listed) == sorted(name for names in options.values() for name in names)
    # No markup shown raw (entry points' short descriptions are not rendered).
    assert not re.search(r"\b[BCIMOPRUV]\(", result.stdout), re.search(r".*\b[BCIMOPRUV]\(.*", result.stdout)


def test_the_roles_are_found():
    assert ROLES == ["apache_server", "flask_wsgi", "haproxy_lb"]


@pytest.mark.parametrize(("kind", "name"), PLUGINS, ids=[name for _kind, name in PLUGINS])
def test_ansible_doc_renders_every_plugin(kind, name):
    result = subprocess.run(
        [PROJECT_DIR / ".venv" / "bin" / "ansible-doc", "--type", kind, name],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_COLLECTIONS_PATH": str(PROJECT_DIR / "collections")},
    )

    assert result.returncode == 0, result.stderr
    assert "[WARNING]" not in result.stderr, result.stderr
    assert name in result.stdout


def test_pre_commit_hooks_are_the_projects_own_pinned_tools():
    """The hooks run offline: local hooks, each a tool of the development
    virtualenv that requirements/dev.in pins."""
    config = yaml.safe_load((PROJECT_DIR / ".pre-commit-config.yaml").read_text())
    pinned = {
        line.split("==", 1)[0].split("[", 1)[0]
        for line in (PROJECT_DIR / "requirements" / "dev.in").read_text().splitlines()
        if "==" in line
    }

    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    for hook in config["repos"][0]["hooks"]:
        tool = hook["entry"].split()[0]
        assert hook["language"] == "system", hook["id"]
        assert tool.startswith(".venv/bin/"), hook["id"]
        assert tool.removeprefix(".venv/bin/") in pinned, hook["id"]
    result = subprocess.run(
        [PROJECT_DIR / ".venv" / "bin" / "pre-commit", "validate-config", PROJECT_DIR / ".pre-commit-config.yaml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
