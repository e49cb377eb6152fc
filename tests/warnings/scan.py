"""The warnings in the output of a run: the lines ansible-core starts with
[WARNING] or [DEPRECATION WARNING], and Python's own warnings (a library's
deprecation, printed as "file.py:line: SomethingWarning: text"), colours and
molecule's frame stripped, each with the lines that continue it (a message
wraps, and its help text or source line follows)."""

import re

COLOUR = re.compile(r"\x1b\[[0-9;]*m")
# Molecule frames each command's output: "  │ " before every line.
FRAME = re.compile(r"^\s*│ ?")
WARNING = re.compile(r"^\s*\[(?:DEPRECATION )?WARNING\]:")
PYTHON_WARNING = re.compile(r"\.py:\d+: \w*Warning: ")
# Where a warning's text ends: an empty line, or the next thing Ansible says.
END = re.compile(
    r"^\s*$|^(?:PLAY|TASK|RUNNING HANDLER|PLAY RECAP)\b|^(?:ok|changed|skipping|fatal|included|INFO|WARNING)\b|^\s*\["
)


def warnings(text):
    """Each warning in TEXT, as one line."""
    found = []
    lines = [FRAME.sub("", line) for line in COLOUR.sub("", text).splitlines()]
    for number, line in enumerate(lines):
        if not (WARNING.match(line) or PYTHON_WARNING.search(line)):
            continue
        parts = [line.strip()]
        for following in lines[number + 1 : number + 8]:
            if END.match(following):
                break
            parts.append(following.strip())
        found.append(" ".join(parts))
    return found
