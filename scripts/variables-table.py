#!/usr/bin/env python3
"""Render each role's variables table in README.md from its meta/argument_specs.yml.

    scripts/variables-table.py          rewrite the tables in README.md
    scripts/variables-table.py --check  exit 1 when a table differs from the specs

A table sits between <!-- variables:ROLE --> and <!-- /variables:ROLE -->.
"""

import json
import re
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
README = PROJECT_DIR / "README.md"
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


def table(role):
    specs = yaml.safe_load((PROJECT_DIR / "roles" / role / "meta" / "argument_specs.yml").read_text())
    options = specs["argument_specs"]["main"]["options"]
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

    return re.sub(r"(<!-- variables:(\w+) -->\n)(?:.*?\n)?(<!-- /variables:\2 -->)", block, text, flags=re.DOTALL)


def main():
    current = README.read_text()
    rendered = render(current)
    if "--check" in sys.argv[1:]:
        if rendered != current:
            print("README.md's variables tables differ from meta/argument_specs.yml: run scripts/variables-table.py")
            return 1
        return 0
    README.write_text(rendered)
    return 0


if __name__ == "__main__":
    sys.exit(main())
