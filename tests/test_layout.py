"""The roles stay declarative: decisions live in the collection's Python
plugins, so that no Jinja expression in roles/ spans more than two lines
and each role's vars/main.yml is data of fewer than 80 lines."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROLES = ROOT / "roles"
# Keys whose value is a Jinja expression without braces.
CONDITIONALS = {"when", "that", "until", "changed_when", "failed_when"}
EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
BLOCK = re.compile(r"^(\s*)(- )?(?:([A-Za-z_]+): )?[>|][-+]?\s*$")
KEY = re.compile(r"^(\s*)(?:- )?([A-Za-z_]+):")
MAX_LINES = 2


def role_files(*patterns):
    return sorted(path for pattern in patterns for path in ROLES.glob(f"*/**/{pattern}"))


def long_expressions(path):
    """Where PATH has a Jinja expression of more than MAX_LINES lines: a
    {{ }} expression, or a bare one given to a conditional key as a block."""
    text = path.read_text()
    found = []
    for match in EXPRESSION.finditer(text):
        if match.group().count("\n") + 1 > MAX_LINES:
            found.append(text.count("\n", 0, match.start()) + 1)
    lines = text.splitlines()
    for number, line in enumerate(lines):
        block = BLOCK.match(line)
        if not block:
            continue
        indent, key = len(block.group(1)), block.group(3)
        if key is None:
            # A list item: the key is the nearest one above, less indented.
            for above in reversed(lines[:number]):
                parent = KEY.match(above)
                if parent and len(parent.group(1)) < indent:
                    key = parent.group(2)
                    break
        if key not in CONDITIONALS:
            continue
        content = []
        for following in lines[number + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            content.append(following)
        if len([line for line in content if line.strip()]) > MAX_LINES:
            found.append(number + 1)
    return found


@pytest.mark.parametrize("path", role_files("*.yml", "*.j2"), ids=lambda path: str(path.relative_to(ROLES)))
def test_no_jinja_expression_spans_more_than_two_lines(path):
    assert long_expressions(path) == [], f"lines of {path.relative_to(ROOT)} to move into a plugin"


@pytest.mark.parametrize("path", sorted(ROLES.glob("*/vars/main.yml")), ids=lambda path: path.parts[-3])
def test_vars_are_short_data(path):
    assert len(path.read_text().splitlines()) < 80


def test_the_check_finds_a_long_expression(tmp_path):
    tasks = tmp_path / "tasks.yml"
    tasks.write_text(
        "- name: A\n  ansible.builtin.debug:\n    msg: >-\n      {{ a\n         + b\n         + c }}\n"
        "  when:\n    - >-\n      a\n      or b\n      or c\n"
        "- name: B\n  ansible.builtin.debug:\n    msg: >-\n      {{ a\n         + b }}\n  when: >-\n    a\n    or b\n"
    )
    assert long_expressions(tasks) == [4, 8]
