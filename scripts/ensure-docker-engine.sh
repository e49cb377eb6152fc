#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine: install Debian's
# docker.io when dockerd is missing, start it when nothing is running.
set -euo pipefail

log=${DOCKERD_LOG:-/var/log/dockerd.log}
wait_seconds=${DOCKERD_WAIT:-60}

engine_answers() { docker info >/dev/null 2>&1; }

if engine_answers; then
    exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
    echo "ensure-docker-engine: installing docker.io" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends docker.io
fi

if ! engine_answers; then
    if [ -d /run/systemd/system ] && systemctl start docker 2>/dev/null; then
        :
    else
        echo "ensure-docker-engine: starting dockerd (log: $log)" >&2
        setsid nohup dockerd >>"$log" 2>&1 </dev/null &
    fi
fi

for _ in $(seq "$wait_seconds"); do
    engine_answers && exit 0
    sleep 1
done
echo "ensure-docker-engine: no Docker engine answered after ${wait_seconds}s; see $log" >&2
tail -n 20 "$log" >&2 || true
exit 1
