"""scripts/collection-tarballs.py: the execution environment's collections,
built from the hash-locked `ansible` package, checked against the FILES.json
pinned in requirements/ee-collections.yml."""

import hashlib
import importlib.util
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
[SITE_PACKAGES] = (PROJECT_DIR / ".venv").glob("lib/python3*/site-packages")
LOCKED = yaml.safe_load((PROJECT_DIR / "requirements" / "ee-collections.yml").read_text())["collections"]
CRYPTO = next(item for item in LOCKED if item["name"] == "community.crypto")

spec = importlib.util.spec_from_file_location("collection_tarballs", PROJECT_DIR / "scripts" / "collection-tarballs.py")
tarballs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tarballs)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_tarball_is_reproducible_and_installs(tmp_path):
    first = tarballs.build(SITE_PACKAGES, CRYPTO, tmp_path / "first")
    second = tarballs.build(SITE_PACKAGES, CRYPTO, tmp_path / "second")
    assert first.name == f"community-crypto-{CRYPTO['version']}.tar.gz"
    assert digest(first) == digest(second)
    with tarfile.open(first) as archive:
        assert all(member.mtime == 0 and member.uid == 0 for member in archive.getmembers())

    result = subprocess.run(
        [PROJECT_DIR / ".venv" / "bin" / "ansible-galaxy", "collection", "install", "--force", "--no-deps"]
        + ["-p", tmp_path / "installed", first],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    installed = tmp_path / "installed" / "ansible_collections" / "community" / "crypto"
    assert (installed / "plugins" / "modules" / "openssl_privatekey.py").is_file()


@pytest.fixture
def crypto_copy(tmp_path):
    """A copy of the virtualenv's community.crypto, to tamper with."""
    root = tmp_path / "site" / "ansible_collections" / "community" / "crypto"
    shutil.copytree(SITE_PACKAGES / "ansible_collections" / "community" / "crypto", root)
    return tmp_path / "site", root


def test_a_changed_file_is_refused(crypto_copy, tmp_path):
    site, root = crypto_copy
    module = root / "plugins" / "modules" / "openssl_privatekey.py"
    module.write_text(module.read_text() + "\n# changed\n")
    with pytest.raises(SystemExit, match="openssl_privatekey.py differs from FILES.json"):
        tarballs.build(site, CRYPTO, tmp_path)


def test_another_version_or_files_list_is_refused(crypto_copy, tmp_path):
    site, _root = crypto_copy
    with pytest.raises(SystemExit, match="the lock pins 0.0.1"):
        tarballs.build(site, dict(CRYPTO, version="0.0.1"), tmp_path)
    with pytest.raises(SystemExit, match="FILES.json is not the one the lock pins"):
        tarballs.build(site, dict(CRYPTO, files_sha256="0" * 64), tmp_path)
