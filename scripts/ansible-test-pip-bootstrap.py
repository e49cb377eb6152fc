"""Stand-in for the pip bootstrap script ansible-test downloads.

ansible-test makes a virtualenv for each sanity test and puts pip into it
with get-pip.py, fetched from a host this test bed cannot reach.
scripts/ansible-test.sh installs this file where ansible-test caches that
script: it bootstraps pip from the standard library (ensurepip), then
installs the pip version ansible-test asks for from the package index.

ansible-test runs pip with no configuration and a bare environment, so the
bootstrapped pip would trust only its own CA bundle: it is given the
system's, as the rest of the machine uses. The pip it installs (24.2 or
later) uses the system's certificate store by itself.
"""

import ensurepip
import os
import ssl
import subprocess
import sys

# get-pip.py's own options; pip install does not know them.
GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}

ensurepip.bootstrap()
arguments = [argument for argument in sys.argv[1:] if argument not in GET_PIP_ONLY]
system_bundle = ssl.get_default_verify_paths().cafile
if system_bundle and os.path.exists(system_bundle):
    arguments = ["--cert", system_bundle, *arguments]
subprocess.check_call([sys.executable, "-m", "pip", "install", *arguments])
