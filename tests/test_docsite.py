"""The docs site (make docs): it builds offline with no Sphinx warning, its
extra pages are the Markdown guides' current text, it has a page for every
role, module and filter, and every link inside it resolves."""

import html.parser
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
SCRIPT = PROJECT_DIR / "scripts" / "docsite.py"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    directory = tmp_path_factory.mktemp("docsite")
    result = subprocess.run([sys.executable, SCRIPT, "--site", directory], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return directory / "build" / "html"


def test_the_extra_pages_are_the_guides_current_text():
    result = subprocess.run([sys.executable, SCRIPT, "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_role_module_filter_and_guide_has_a_page(site):
    expected = [f"{path.name}_role.html" for path in (PROJECT_DIR / "roles").iterdir()]
    expected += [f"{path.stem}_module.html" for path in (PROJECT_DIR / "plugins" / "modules").glob("*.py")]
    expected += [f"{path.stem}_filter.html" for path in (PROJECT_DIR / "plugins" / "filter").glob("*.py")]
    expected += ["docsite/guide.html", "docsite/awx.html", "docsite/architecture.html", "index.html"]
    assert [name for name in expected if not (site / name).is_file()] == []


class Links(html.parser.HTMLParser):
    """The ids a page defines and the links it makes."""

    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])


def parsed(path):
    links = Links()
    links.feed(path.read_text())
    return links


def test_every_link_inside_the_site_resolves(site):
    pages = {path: parsed(path) for path in site.rglob("*.html")}
    broken = []
    for page, links in pages.items():
        for link in links.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("mailto:"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parsed(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link}")
    assert broken == []
