# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Make a role's self-signed pair, the registry's "generated" entries, in
one task: community.crypto's private key, signing request and certificate
modules, each one call on the host, and only those the pair needs."""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import applying, registry

ARGUMENT_SPEC: dict[str, Any] = {
    "registry": {"type": "list", "elements": "dict", "required": True},
    "differing": {"type": "list", "elements": "str", "required": True},
    "common_name": {"type": "str", "required": True},
    "subject_alt_name": {"type": "list", "elements": "str", "default": []},
    "not_after": {"type": "str", "default": "+825d"},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)[1]
        generated = [entry for entry in registry.as_entries(params["registry"]) if entry.source == "generated"]
        pair = {entry.origin: entry for entry in generated}
        if set(pair) != {"key", "certificate"}:
            return dict(result, failed=True, msg="tls_selfsigned: the registry has no generated key and certificate")
        key, certificate = pair["key"], pair["certificate"]
        # Each is (re)made when its path differs: missing, or another owner or mode.
        make_key, make_certificate = key.path in params["differing"], certificate.path in params["differing"]
        run = applying.module_runner(self, task_vars or {})
        steps: dict[str, Any] = {}
        changed: list[str] = []

        def step(name: str, module: str, args: dict[str, Any]) -> dict[str, Any]:
            done = applying.clean(run(module, args))
            steps[name] = done
            return done

        def failure(name: str) -> dict[str, Any]:
            said = applying.said(steps[name])
            return dict(result, failed=True, steps=steps, msg=f"The self-signed {name} could not be made: {said}")

        owned = {"owner": key.owner, "group": key.group, "mode": key.mode}
        if make_key:
            made = step(
                "key", "community.crypto.openssl_privatekey", dict(owned, path=key.path, type="ECC", curve="secp256r1")
            )
            if made.get("failed"):
                return failure("key")
            if made.get("changed"):
                changed.append(key.name)
        # A new key needs a new certificate; in check mode the key may not exist yet to sign with.
        if (changed or make_certificate) and not (self._play_context.check_mode and changed):
            request = {
                "privatekey_path": key.path,
                "common_name": params["common_name"],
                "subject_alt_name": params["subject_alt_name"],
            }
            if step("request", "community.crypto.openssl_csr_pipe", request).get("failed"):
                return failure("request")
            made = step(
                "certificate",
                "community.crypto.x509_certificate",
                {
                    "path": certificate.path,
                    "privatekey_path": key.path,
                    "csr_content": steps["request"]["csr"],
                    "provider": "selfsigned",
                    "selfsigned_not_after": params["not_after"],
                    "owner": certificate.owner,
                    "group": certificate.group,
                    "mode": certificate.mode,
                },
            )
            if made.get("failed"):
                return failure("certificate")
            if made.get("changed"):
                changed.append(certificate.name)
        elif changed:
            changed.append(certificate.name)
        return dict(result, changed=bool(changed), changed_entries=changed, steps=steps)
