#!/usr/bin/env bash
# Build a systemd + python3 base image for the test bed with debootstrap and
# `docker import`, so no container registry is needed.
#
#   scripts/build-base-image.sh debian12|debian13|ubuntu2204|ubuntu2404 [TAG]
#   scripts/build-base-image.sh ee-debian13 [TAG]
#
# ee-debian13 is the execution environment's base (make ee): no systemd, just
# Python with pip and venv for ansible-builder, and an SSH client, without
# documentation, manual pages or translations (the image must stay small);
# it trusts the host's CA bundle, as containers here need for HTTPS to PyPI.
#
# The image is cached: it is rebuilt only when its tag is missing or was made
# by a different version of this script (label flask-wsgi.builder).
set -euo pipefail

platform=${1:?usage: $0 debian12|debian13|ubuntu2204|ubuntu2404|ee-debian12|ee-debian13 [TAG]}
tag=${2:-flask-wsgi-test/${platform}:latest}

# What a stock Ubuntu server has that the role and its tests rely on:
# systemd as init, python3 (+ apt bindings) for Ansible, sshd for the demo,
# curl and ps for the checks run inside the container.
packages=systemd,systemd-sysv,dbus,python3,python3-apt,openssh-server,sudo,curl,ca-certificates,procps,iproute2
kind=server
case "$platform" in
    ee-*)
        kind=ee
        platform=${platform#ee-}
        packages=python3,python3-pip,python3-venv,openssh-client,ca-certificates ;;
esac

case "$platform" in
    debian12)   suite=bookworm; mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}; components=main ;;
    debian13)   suite=trixie;   mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}; components=main ;;
    ubuntu2204) suite=jammy;    mirror=${UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}; components=main,universe ;;
    ubuntu2404) suite=noble;    mirror=${UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}; components=main,universe ;;
    *) echo "build-base-image: unknown platform '$platform'" >&2; exit 2 ;;
esac

fingerprint=$(sha256sum <"$0" | cut -c1-16)
if [ "$(docker image inspect -f '{{ index .Config.Labels "flask-wsgi.builder" }}' "$tag" 2>/dev/null)" = "$fingerprint" ]; then
    echo "build-base-image: $tag is up to date"
    exit 0
fi

# Builds run in parallel: one apt at a time installs what they need.
install_host_packages() {
    (
        flock 9
        missing=()
        for package in "$@"; do
            dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
        done
        [ ${#missing[@]} -eq 0 ] && exit 0
        DEBIAN_FRONTEND=noninteractive apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    ) 9>"${TMPDIR:-/tmp}/flask-wsgi-build-base-image.lock"
}

install_host_packages debootstrap
keyring_args=()
if [ "${platform#ubuntu}" != "$platform" ]; then
    install_host_packages ubuntu-keyring
    keyring_args=(--keyring=/usr/share/keyrings/ubuntu-archive-keyring.gpg)
fi

rootfs=$(mktemp -d "${TMPDIR:-/tmp}/rootfs-${platform}.XXXXXX")
trap 'rm -rf --one-file-system "$rootfs"' EXIT

echo "build-base-image: debootstrap $suite from $mirror into $rootfs"
debootstrap --variant=minbase --components="$components" --include="$packages" \
    "${keyring_args[@]}" "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
    tail -n 30 "$rootfs.log" >&2
    rm -f "$rootfs.log"
    exit 1
}
rm -f "$rootfs.log"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

if [ "$kind" = ee ]; then
    rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
    cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    tar -C "$rootfs" -c . | docker import \
        --change 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' \
        --change 'CMD ["/bin/bash"]' \
        --change "LABEL flask-wsgi.builder=$fingerprint" \
        - "$tag" >/dev/null
    echo "build-base-image: built $tag"
    exit 0
fi

# A container gets its machine id, hostname and SSH host keys at boot;
# keep none baked into the image.
: >"$rootfs/etc/machine-id"
rm -f "$rootfs/var/lib/dbus/machine-id" "$rootfs/etc/hostname" "$rootfs"/etc/ssh/ssh_host_*
mkdir -p "$rootfs/etc/systemd/system/ssh.service.d"
printf '[Service]\nExecStartPre=\nExecStartPre=/usr/bin/ssh-keygen -A\nExecStartPre=/usr/sbin/sshd -t\n' >"$rootfs/etc/systemd/system/ssh.service.d/host-keys.conf"
# Like a stock cloud image: no package index yet, and none looks fresh.
touch -d @0 "$rootfs/var/lib/apt/lists"
# Units that only fail or wait in a container.
for unit in systemd-remount-fs.service getty.target console-getty.service \
            systemd-firstboot.service systemd-udevd.service systemd-modules-load.service; do
    ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
done

tar -C "$rootfs" -c . | docker import \
    --change 'ENV container=docker' \
    --change 'CMD ["/sbin/init"]' \
    --change "LABEL flask-wsgi.builder=$fingerprint" \
    - "$tag" >/dev/null
echo "build-base-image: built $tag"
