#!/usr/bin/env bash
# Run ansible-test on the collection as users install it: build it, install
# it under ansible_collections/ in a temporary directory (where ansible-test
# wants to find it), and run there. Each sanity test gets a virtualenv of its own with the
# tool versions ansible-test pins, installed from the package index.
#
#   scripts/ansible-test.sh sanity      (or: units)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${VENV:-.venv}/bin
# Outside the repository: ansible-test lists the files git tracks around it.
root=${TMPDIR:-/tmp}/flask-wsgi-ansible-test
namespace=$("$bin/python" -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["namespace"])')
name=$("$bin/python" -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["name"])')

# ansible-test puts pip into each virtualenv with a script it downloads from
# a host this test bed cannot reach; a stand-in takes its place.
ansible_test_dir=$("$bin/python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')
pip_version=$(grep -oP "pip='\K[0-9.]+" "$ansible_test_dir/_internal/python_requirements.py")
cache=$HOME/.ansible/test/cache
mkdir -p "$cache"
install -m 0644 scripts/ansible-test-pip-bootstrap.py "$cache/get_pip_${pip_version//./_}.py"

rm -rf "$root/build" "$root/ansible_collections/$namespace/$name"
mkdir -p "$root/build"
"$bin/ansible-galaxy" collection build --force --output-path "$root/build" >/dev/null
# Unit tests are not shipped; ansible-test units needs them beside the code.
"$bin/ansible-galaxy" collection install --force --no-deps -p "$root" "$root"/build/*.tar.gz >/dev/null
cp -r tests/unit "$root/ansible_collections/$namespace/$name/tests/" 2>/dev/null || true
cp -r tests/sanity "$root/ansible_collections/$namespace/$name/tests/" 2>/dev/null || true

cd "$root/ansible_collections/$namespace/$name"
exec "$OLDPWD/$bin/ansible-test" "$@" --venv --python "$("$OLDPWD/$bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" --requirements --color no
