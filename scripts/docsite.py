#!/usr/bin/env python3
"""The docs site (make docs): the collection's roles, modules and filters
as antsibull-docs renders them, and its extra pages, the guide, AWX and the
architecture, written in Markdown (docs/*.md, which GitHub shows) and
turned into the RST antsibull-docs takes (docs/docsite/rst/, shipped in the
collection):

    scripts/docsite.py              write the extra pages' RST
    scripts/docsite.py --check      fail when one differs from its Markdown
    scripts/docsite.py --site DIR   build the site into DIR/build/html, offline

Pandoc converts each page. Each heading gets a label
(ansible_collections.flaskwsgi.deploy.docsite.<page>.<GitHub's anchor>), so
that a link to a heading, in the page or in another, becomes a reference
Sphinx checks; a link to another file of the repository becomes its address.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pypandoc
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
OUTPUT = PROJECT_DIR / "docs" / "docsite" / "rst"
# Each page: its Markdown source, by the name its RST file and labels take.
PAGES = {"guide": "docs/guide.md", "awx": "docs/awx.md", "architecture": "docs/architecture.md"}
LABEL = "ansible_collections.flaskwsgi.deploy.docsite"
GALAXY = yaml.safe_load((PROJECT_DIR / "galaxy.yml").read_text())
FILES_ONLINE = GALAXY["repository"] + "/blob/main"
HEADING = re.compile(r"^(#{1,6}) (.+)$")
LINK = re.compile(r"`([^`<]*?) ?<([^<>`]+)>`__")


def anchor(title: str) -> str:
    """GitHub's anchor for a heading TITLE."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def labelled(page: str, markdown: str) -> str:
    """MARKDOWN with a raw RST label before each heading outside code (a
    diagram's source shown as text: Sphinx draws none)."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
            line = "```text" if line == "```mermaid" else line
        heading = None if fenced else HEADING.match(line)
        if heading:
            name = LABEL + "." + page if heading.group(1) == "#" else f"{LABEL}.{page}.{anchor(heading.group(2))}"
            lines += ["```{=rst}", f".. _{name}:", "```", ""]
        lines.append(line)
    return "\n".join(lines) + "\n"


def target(page: str, link: str) -> str | None:
    """The label a link of PAGE to LINK names (a heading of a page), or None."""
    path, _, fragment = link.partition("#")
    if not path:
        return f"{LABEL}.{page}.{fragment}" if fragment else f"{LABEL}.{page}"
    source = (PROJECT_DIR / PAGES[page]).parent / path
    for other, markdown in PAGES.items():
        if source.resolve() == (PROJECT_DIR / markdown).resolve():
            return f"{LABEL}.{other}.{fragment}" if fragment else f"{LABEL}.{other}"
    return None


def relinked(page: str, rst: str) -> str:
    """RST with its links to headings as references, and its links to the
    repository's other files as their addresses."""

    def link(match: re.Match[str]) -> str:
        text, address = match.group(1), match.group(2)
        if re.match(r"[a-z]+:", address):
            return match.group(0)
        label = target(page, address)
        if label:
            return f":ref:`{text} <{label}>`"
        path, _, fragment = address.partition("#")
        online = (PROJECT_DIR / PAGES[page]).parent.joinpath(path).resolve().relative_to(PROJECT_DIR)
        return f"`{text} <{FILES_ONLINE}/{online}{'#' + fragment if fragment else ''}>`__"

    return LINK.sub(link, rst)


def rst_of(page: str) -> str:
    markdown = labelled(page, (PROJECT_DIR / PAGES[page]).read_text())
    # Pandoc's own anchors and typographic quotes off: the labels are ours,
    # and the text stays as written.
    source = "commonmark_x-gfm_auto_identifiers-implicit_header_references-smart-fancy_lists"
    rst = pypandoc.convert_text(markdown, "rst", format=source, extra_args=["--wrap=preserve"])
    # A blank line between a label and its heading (pandoc keeps none).
    rst = re.sub(rf"^(\.\. _{re.escape(LABEL)}\S*:)\n(?=\S)", "\\1\n\n", rst, flags=re.M)
    notice = f"..\n  Generated from {PAGES[page]} by scripts/docsite.py: edit that file.\n\n"
    return notice + relinked(page, rst)


# What the collection's docs refer to on docs.ansible.com: a site built
# offline resolves these from a local inventory, and Sphinx (nitpicky, every
# warning an error) fails on any other reference it cannot resolve.
ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/devel/"
EXTERNAL = {
    "common_return_values": ("reference_appendices/common_return_values.html", "Return Values"),
    "action_plugins": ("plugins/action.html", "Action plugins"),
    "ansible_configuration_settings": ("reference_appendices/config.html", "Ansible Configuration Settings"),
}
EXTERNAL_MODULES = [
    "ansible.builtin.apt",
    "ansible.builtin.async_status",
    "ansible.builtin.group",
    "ansible.builtin.service",
    "ansible.builtin.user",
    "community.crypto.openssl_csr_pipe",
    "community.crypto.openssl_privatekey",
    "community.crypto.x509_certificate",
]


def inventory() -> bytes:
    """An intersphinx inventory (version 2) of EXTERNAL and EXTERNAL_MODULES."""
    entries = dict(EXTERNAL)
    for module in EXTERNAL_MODULES:
        namespace, name, plugin = module.split(".")
        entries[f"ansible_collections.{module}_module"] = (
            f"collections/{namespace}/{name}/{plugin}_module.html",
            f"{module} module",
        )
    lines = "".join(
        f"{label} std:label -1 {page}#{label.replace('.', '-').replace('_', '-')} {title}\n"
        for label, (page, title) in sorted(entries.items())
    )
    header = "# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n"
    return (header + "# The remainder of this file is compressed using zlib.\n").encode() + zlib.compress(
        lines.encode()
    )


def build_site(directory: Path) -> int:
    """The docs site built into DIRECTORY/build/html with no network: the
    intersphinx inventory is the local one above."""
    environment = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        ANSIBLE_COLLECTIONS_PATH=str(PROJECT_DIR / "collections"),
    )
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["antsibull-docs", "sphinx-init", "--use-current", "--squash-hierarchy", "--fail-on-error"]
        + ["--dest-dir", str(directory), "--project", "flaskwsgi.deploy", "--copyright", "the flask-wsgi project"]
        + ["--title", f"flaskwsgi.deploy {GALAXY['version']}", "flaskwsgi.deploy"],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (directory / "ansible_devel.inv").write_bytes(inventory())
    with open(directory / "conf.py", "a", encoding="utf-8") as conf:
        local = str(directory / "ansible_devel.inv")
        conf.write(f"\nintersphinx_mapping = {{'ansible_devel': ({ANSIBLE_DOCS!r}, {local!r})}}\n")
    return subprocess.run([str(directory / "build.sh")], env=environment, check=False).returncode


def main(argv: list[str]) -> int:
    if "--site" in argv:
        return build_site(Path(argv[argv.index("--site") + 1]).resolve())
    stale = []
    for page in PAGES:
        path = OUTPUT / f"{page}.rst"
        text = rst_of(page)
        if "--check" in argv:
            if not path.is_file() or path.read_text() != text:
                stale.append(str(path.relative_to(PROJECT_DIR)))
        else:
            OUTPUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if stale:
        print(f"{', '.join(stale)}: stale, run scripts/docsite.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
