"""Make the collection importable as ansible_collections.flaskwsgi.deploy
when pytest runs from the repository (collections/ links to it); under
ansible-test units the collection is installed and importable already."""

import sys
from pathlib import Path

COLLECTIONS = Path(__file__).resolve().parents[2] / "collections"
if COLLECTIONS.is_dir() and str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))
