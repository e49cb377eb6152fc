#!/usr/bin/env bash
# Print the newest Python interpreter found whose version is MIN or newer
# (and MAX or older, when given), or nothing:
#
#   scripts/find-python.sh 3.12          a controller for the newest ansible-core
#   scripts/find-python.sh 3.11 3.11     the oldest supported core's
#
# Looked for on PATH (python3.14 .. python3.11, python3), then among pyenv's
# versions ($PYENV_ROOT, else ~/.pyenv). Debian 13's python3 is 3.13.
set -uo pipefail

min=${1:?usage: $0 MIN [MAX]}
max=${2:-3.99}

candidates=()
for minor in 14 13 12 11; do
    command -v "python3.$minor" >/dev/null 2>&1 && candidates+=("$(command -v "python3.$minor")")
done
command -v python3 >/dev/null 2>&1 && candidates+=("$(command -v python3)")
for python in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin/python3 2>/dev/null | sort -rV); do
    candidates+=("$python")
done

for python in "${candidates[@]}"; do
    if "$python" -c "import sys, venv
low, high = (tuple(map(int, v.split('.'))) for v in sys.argv[1:])
sys.exit(not low <= sys.version_info[:2] <= high)" "$min" "$max" 2>/dev/null; then
        echo "$python"
        exit 0
    fi
done
exit 0
