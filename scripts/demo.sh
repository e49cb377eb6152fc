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
ansible_playbook=${ANSIBLE_PLAYBOOK:-.venv/bin/ansible-playbook}

if [ "${1:-}" = clean ]; then
    docker rm -f "$name" >/dev/null 2>&1 || true
    rm -rf "$state"
    echo "demo: removed $name and $state"
    exit 0
fi

scripts/build-base-image.sh "$platform"
mkdir -p "$state"
[ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -C flask-wsgi-demo -f "$key"

if ! docker container inspect "$name" >/dev/null 2>&1; then
    echo "demo: starting $name ($platform)"
    docker run -d --name "$name" --hostname flask-wsgi-demo \
        --cap-add SYS_ADMIN --cgroupns host \
        --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
        -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock \
        -p "127.0.0.1:$ssh_port:22" -p "127.0.0.1:$http_port:80" \
        "flask-wsgi-test/$platform:latest" >/dev/null
    rm -f "$state/known_hosts"   # a new container has new host keys
fi
docker start "$name" >/dev/null

# A deploy account that logs in with the key and may sudo, as on a server.
docker exec -e PUBKEY="$(cat "$key.pub")" "$name" sh -euc '
    id deploy >/dev/null 2>&1 || useradd --create-home --shell /bin/bash deploy
    install -d -m 0700 -o deploy -g deploy /home/deploy/.ssh
    printf "%s\n" "$PUBKEY" >/home/deploy/.ssh/authorized_keys
    chown deploy:deploy /home/deploy/.ssh/authorized_keys
    echo "deploy ALL=(ALL) NOPASSWD:ALL" >/etc/sudoers.d/deploy
    chmod 0440 /etc/sudoers.d/deploy'

ssh_args="-o UserKnownHostsFile=$state/known_hosts -o StrictHostKeyChecking=accept-new"
for attempt in $(seq 30); do
    # shellcheck disable=SC2086
    ssh -q -i "$key" -p "$ssh_port" $ssh_args -o BatchMode=yes -o ConnectTimeout=2 \
        deploy@127.0.0.1 true 2>/dev/null && break
    [ "$attempt" -lt 30 ] || { echo "demo: sshd in $name did not answer" >&2; exit 1; }
    sleep 1
done

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
INVENTORY

"$ansible_playbook" -i "$state/inventory.yml" playbooks/site.yml

echo "demo: GET http://127.0.0.1:$http_port/app"
curl -fsS "http://127.0.0.1:$http_port/app"
echo
