"""The README's shape, and the claims in the docs that can drift from the
code: links and anchors, the scenario list, the counts of cases, the
supported ansible-core range."""

import ast
import importlib.util
import re
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
README = PROJECT_DIR / "README.md"
CONTRIBUTING = PROJECT_DIR / "CONTRIBUTING.md"
DOCS = [README, CONTRIBUTING, PROJECT_DIR / "docs" / "guide.md", PROJECT_DIR / "docs" / "variables.md"]
SECTIONS = [
    "Requirements",
    "Quick start",
    "Deploying your own app",
    "Variables",
    "HTTPS",
    "Many hosts",
    "AWX and execution environments",
    "Troubleshooting",
]


# The docs site's script: GitHub's anchor for a heading, which its labels
# take too, and the address of the repository's files.
spec = importlib.util.spec_from_file_location("docsite", PROJECT_DIR / "scripts" / "docsite.py")
docsite = importlib.util.module_from_spec(spec)
spec.loader.exec_module(docsite)


def headings(path):
    """The GitHub anchors of a Markdown file's headings, outside code blocks."""
    anchors, fenced = set(), False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            anchors.add(docsite.anchor(line.lstrip("#")))
    return anchors


def test_the_readme_is_short_with_its_sections_in_order_and_a_table_of_contents():
    text = README.read_text()
    titles = re.findall(r"^## (.+)$", text, re.M)

    assert len(text.splitlines()) <= 250
    assert [title for title in titles if title in SECTIONS] == SECTIONS
    contents = text.split("## Requirements", 1)[0]
    for title in SECTIONS:
        assert f"](#{title.lower().replace(' ', '-')})" in contents, f"{title} is not in the table of contents"


# The README is the collection's page on Galaxy too, where a relative link
# is dead: it links to the repository's files by their address.
FILES_ONLINE = f"{docsite.FILES_ONLINE}/"


@pytest.mark.parametrize("path", DOCS, ids=[path.name for path in DOCS])
def test_every_link_and_anchor_in_the_docs_resolves(path):
    for target in re.findall(r"\]\(([^)\s]+)\)", path.read_text()):
        if path == README:
            assert target.startswith(("#", "https://")), f"README.md: {target} is dead on Galaxy"
            target = target.removeprefix(FILES_ONLINE)
        if re.match(r"[a-z]+://", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        assert linked.exists(), f"{path.name}: {target}"
        if anchor:
            assert anchor in headings(linked), f"{path.name}: {target}"


def test_the_scenario_table_lists_every_scenario():
    listed = re.findall(r"^\| `(\w+)` \|", CONTRIBUTING.read_text().split("Molecule scenarios", 1)[1], re.M)
    scenarios = sorted(path.parent.name for path in (PROJECT_DIR / "molecule").glob("*/molecule.yml"))

    assert sorted(listed) == scenarios


def test_the_counts_of_bad_input_cases_are_the_scenarios():
    tree = ast.parse((PROJECT_DIR / "molecule" / "validation" / "tests" / "test_bad_input.py").read_text())
    cases = {
        node.targets[0].id: [ast.literal_eval(element.elts[0]) for element in node.value.elts]
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in {"BAD_INPUT", "HAPROXY_BAD_INPUT"}
    }
    counts = {
        "application": sum(name.startswith("flask_wsgi_") for name in cases["BAD_INPUT"]),
        "web server": sum(name.startswith("apache_server_") for name in cases["BAD_INPUT"]),
        "load balancer": len(cases["HAPROXY_BAD_INPUT"]),
    }
    claim = re.search(
        r"(\d+) bad values of the application's variables, (\d+) of the web server's and (\d+) of the load balancer's",
        CONTRIBUTING.read_text(),
    )

    assert claim, "the validation scenario's counts are not in CONTRIBUTING.md"
    assert tuple(map(int, claim.groups())) == tuple(counts.values()), counts


def test_the_readme_states_the_tested_ansible_core_range():
    claimed = yaml.safe_load((PROJECT_DIR / "meta" / "runtime.yml").read_text())["requires_ansible"]
    first, major, minor = re.fullmatch(r">=(\d+\.\d+)\.0,<(\d+)\.(\d+)\.0", claimed).groups()

    assert f"ansible-core {first} to {major}.{int(minor) - 1}" in README.read_text()
