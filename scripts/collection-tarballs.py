#!/usr/bin/env python3
"""Build the collection tarballs the execution environment installs, from
the `ansible` package pip installed (hash-checked) into a virtualenv, with
no Galaxy server:

    scripts/collection-tarballs.py SITE_PACKAGES LOCK OUTPUT_DIR

LOCK (requirements/ee-collections.yml) names each collection, its version
and the SHA-256 of its FILES.json, the list of its files with their SHA-256
that the collection's authors published. A collection whose version or
FILES.json is not the pinned one, or one of whose files differs from
FILES.json, is refused. The `ansible` package leaves out the collections'
tests and CI files: the tarball lists the files it holds, in a FILES.json
and MANIFEST.json of its own, and installs like one from Galaxy.
The tarballs are reproducible: sorted, owned by root, dated 1970.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

import yaml


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checked_files(root: Path, pinned: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries of ROOT's FILES.json that ROOT holds, each file checked;
    fails when the collection is not the one PINNED names."""
    manifest = json.loads((root / "MANIFEST.json").read_text())
    files_json = (root / "FILES.json").read_bytes()
    name = pinned["name"]
    version = manifest["collection_info"]["version"]
    if version != str(pinned["version"]):
        raise SystemExit(f"{name}: the virtualenv has {version}, the lock pins {pinned['version']}")
    if (
        sha256(files_json) != pinned["files_sha256"]
        or sha256(files_json) != manifest["file_manifest_file"]["chksum_sha256"]
    ):
        raise SystemExit(f"{name} {version}: FILES.json is not the one the lock pins")
    present = []
    for entry in json.loads(files_json)["files"]:
        path = root / entry["name"]
        if not path.exists():
            continue
        if entry["ftype"] == "file" and sha256(path.read_bytes()) != entry["chksum_sha256"]:
            raise SystemExit(f"{name} {version}: {entry['name']} differs from FILES.json")
        present.append(entry)
    return present


def add(archive: tarfile.TarFile, name: str, data: bytes | None) -> None:
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "root", "root"
    if data is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
        archive.addfile(info)
    else:
        info.size, info.mode = len(data), 0o644
        archive.addfile(info, io.BytesIO(data))


def build(site_packages: Path, pinned: dict[str, Any], output: Path) -> Path:
    namespace, name = pinned["name"].split(".")
    root = site_packages / "ansible_collections" / namespace / name
    present = checked_files(root, pinned)
    files_json = json.dumps({"files": present, "format": 1}, indent=1).encode()
    manifest = json.loads((root / "MANIFEST.json").read_text())
    manifest["file_manifest_file"]["chksum_sha256"] = sha256(files_json)
    output.mkdir(parents=True, exist_ok=True)
    tarball = output / f"{namespace}-{name}-{pinned['version']}.tar.gz"
    with (
        open(tarball, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.GNU_FORMAT) as archive,
    ):
        add(archive, "MANIFEST.json", json.dumps(manifest, indent=1).encode())
        add(archive, "FILES.json", files_json)
        for entry in present:
            if entry["name"] == ".":
                continue
            path = root / entry["name"]
            add(archive, entry["name"], None if entry["ftype"] == "dir" else path.read_bytes())
    return tarball


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    site_packages, lock, output = Path(argv[1]), Path(argv[2]), Path(argv[3])
    for pinned in yaml.safe_load(lock.read_text())["collections"]:
        print(build(site_packages, pinned, output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
