#!/usr/bin/env bash
# `make demo`: deploy the project's playbook over SSH, as on a real server,
# to a local systemd container, then print what the application answers.
#
#   scripts/demo.sh          create or reuse the container, deploy, print
#   scripts/demo.sh clean    remove the container and .demo/
#
# SSH and HTTP are published on 127.0.0.1 only. Settings: DEMO_CONTAINER,
# DEMO_PLATFORM, DEMO_SSH_PORT, DEMO_HTTP_PORT, DEMO_STATE (key, inventory).
set -euo pipefail
cd "$(dirname "$0")/.."

name=${DEMO_CONTAINER:-flask-wsgi-demo}
platform=${DEMO_PLATFORM:-debian12}
ssh_port=${DEMO_SSH_PORT:-2222}
http_port=${DEMO_HTTP_PORT:-8080}
state=${DEMO_STATE:-$PWD/.demo}
key=$state/id_ed25519
ansible_playbook=${ANSIBLE_PLAYBOOK:-.venv-deploy/bin/ansible-playbook}

if [ "${1:-}" = clean ]; then
    docker rm -f "$name" >/dev/null 2>&1 || true
    rm -rf "$state"
    echo "demo: removed $name and $state"
    exit 0
fi

scripts/build-base-image.sh "$platform"
mkdir -p "$state"

ssh_port=$(SSH_PORT=$ssh_port scripts/start-ssh-host.sh "$name" "flask-wsgi-test/$platform:latest" \
    "$key" "$state/known_hosts" -p "127.0.0.1:$http_port:80")
ssh_args="-o UserKnownHostsFile=$state/known_hosts -o StrictHostKeyChecking=accept-new"

cat >"$state/inventory.yml" <<INVENTORY
---
web:
  hosts:
    flask-wsgi-demo:
      ansible_host: 127.0.0.1
      ansible_port: $ssh_port
      ansible_user: deploy
      ansible_ssh_private_key_file: $key
      ansible_ssh_common_args: $ssh_args
# No load balancer: an empty group, as in the example inventory.
lb:
INVENTORY

"$ansible_playbook" -i "$state/inventory.yml" playbooks/site.yml

echo "demo: GET http://127.0.0.1:$http_port/app"
curl -fsS "http://127.0.0.1:$http_port/app"
echo
