#!/usr/bin/env bash
# Start (or reuse) a systemd container that looks like a fresh server reached
# over SSH: a `deploy` account that logs in with KEY and may sudo. SSH is
# published on 127.0.0.1 only; prints the SSH port once sshd answers.
#
#   scripts/start-ssh-host.sh NAME IMAGE KEY KNOWN_HOSTS [docker run options...]
#
# Extra options go to `docker run`, e.g. -p 127.0.0.1:8080:80 or --network.
set -euo pipefail

name=${1:?usage: $0 NAME IMAGE KEY KNOWN_HOSTS [docker run options...]}
image=${2:?image}
key=${3:?key}
known_hosts=${4:?known_hosts file}
shift 4
ssh_port=${SSH_PORT:-}

[ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -C flask-wsgi-test -f "$key"

if ! docker container inspect "$name" >/dev/null 2>&1; then
    docker run -d --name "$name" --hostname "$name" \
        --cap-add SYS_ADMIN --cgroupns host \
        --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
        -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock \
        -p "127.0.0.1:${ssh_port}:22" "$@" "$image" >/dev/null
fi
docker start "$name" >/dev/null
port=$(docker port "$name" 22/tcp | head -n 1)
port=${port##*:}

docker exec -e PUBKEY="$(cat "$key.pub")" "$name" sh -euc '
    id deploy >/dev/null 2>&1 || useradd --create-home --shell /bin/bash deploy
    install -d -m 0700 -o deploy -g deploy /home/deploy/.ssh
    printf "%s\n" "$PUBKEY" >/home/deploy/.ssh/authorized_keys
    chown deploy:deploy /home/deploy/.ssh/authorized_keys
    echo "deploy ALL=(ALL) NOPASSWD:ALL" >/etc/sudoers.d/deploy
    chmod 0440 /etc/sudoers.d/deploy'

# A new container has new host keys under a port an old one may have used.
ssh-keygen -q -R "[127.0.0.1]:$port" -f "$known_hosts" >/dev/null 2>&1 || true
rm -f "$known_hosts.old"
for attempt in $(seq 60); do
    ssh -q -i "$key" -p "$port" -o UserKnownHostsFile="$known_hosts" -o StrictHostKeyChecking=accept-new \
        -o BatchMode=yes -o ConnectTimeout=2 deploy@127.0.0.1 true 2>/dev/null && break
    [ "$attempt" -lt 60 ] || { echo "start-ssh-host: sshd in $name did not answer" >&2; exit 1; }
    sleep 0.5
done
echo "$port"
