#!/usr/bin/env python3
"""Render the variables of each role from its meta/argument_specs.yml, into
README.md (the names, by role) and docs/variables.md (full tables).

    scripts/variables-table.py          rewrite them
    scripts/variables-table.py --check  exit 1 when one differs from the specs

A table sits between <!-- variables:ROLE --> and <!-- /variables:ROLE -->,
a list of names between <!-- variable-names:ROLE --> and
<!-- /variable-names:ROLE -->.
"""

import json
import re
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
FILES = [PROJECT_DIR / "README.md", PROJECT_DIR / "docs" / "variables.md"]
DOCS_ONLINE = yaml.safe_load((PROJECT_DIR / "galaxy.yml").read_text())["repository"] + "/blob/main/docs"
NAMES_WIDTH = 100
MARKUP = [
    (re.compile(r"[CO]\(([^)]*)\)"), r"`\1`"),  # code, option names
    (re.compile(r"I\(([^)]*)\)"), r"*\1*"),
    (re.compile(r"V\(([^)]*)\)"), r"`\1`"),
]


def markdown(text):
    for pattern, replacement in MARKUP:
        text = pattern.sub(replacement, text)
    return text.replace("|", "\\|")


def default_text(value):
    if isinstance(value, str):
        return f"`{value}`" if value else '`""`'
    return f"`{json.dumps(value)}`"


def options_of(role):
    specs = yaml.safe_load((PROJECT_DIR / "roles" / role / "meta" / "argument_specs.yml").read_text())
    return specs["argument_specs"]["main"]["options"]


def names(role):
    """The role's variable names, in the order of its specs, wrapped, after a
    link to its table in docs/variables.md."""
    words = [f"`{name}`" for name in options_of(role)]
    # An absolute link: the README is the collection's page on Galaxy too.
    lines, line = [], f"[**{role}**]({DOCS_ONLINE}/variables.md#{role}) ({len(words)}):"
    for word in words:
        if len(line) + 1 + len(word) > NAMES_WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}"
    return "\n".join([*lines, line])


def table(role):
    options = options_of(role)
    rows = ["| Variable | Type | Default | Meaning |", "| --- | --- | --- | --- |"]
    for name, option in options.items():
        description = option.get("description", "")
        if isinstance(description, list):
            description = " ".join(description)
        kind = option.get("type", "str")
        if kind == "list":
            kind = f"list of {option.get('elements', 'str')}"
        default = default_text(option["default"]) if "default" in option else "required"
        rows.append(f"| `{name}` | {kind} | {default} | {markdown(description)} |")
    return "\n".join(rows)


def render(text):
    """TEXT with every variables block rewritten from the argument specs."""

    def block(match):
        return match.group(1) + table(match.group(2)) + "\n" + match.group(3)

    def name_block(match):
        return match.group(1) + names(match.group(2)) + "\n" + match.group(3)

    text = re.sub(r"(<!-- variables:(\w+) -->\n)(?:.*?\n)?(<!-- /variables:\2 -->)", block, text, flags=re.DOTALL)
    return re.sub(
        r"(<!-- variable-names:(\w+) -->\n)(?:.*?\n)?(<!-- /variable-names:\2 -->)", name_block, text, flags=re.DOTALL
    )


def main():
    stale = []
    for path in FILES:
        current = path.read_text()
        rendered = render(current)
        if rendered != current:
            stale.append(path.relative_to(PROJECT_DIR))
            if "--check" not in sys.argv[1:]:
                path.write_text(rendered)
    if stale and "--check" in sys.argv[1:]:
        print(f"{', '.join(map(str, stale))}: the variables differ from meta/argument_specs.yml: run {sys.argv[0]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
