"""A self-signed pair in one task: the key only when it differs, the
certificate when it differs or the key is new, with the entries' owner,
group and mode."""

from ansible_collections.flaskwsgi.deploy.plugins.action import tls_selfsigned
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.certificates import selfsigned_entries
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.action.action_run import Host, action, on_host

KEY, CERTIFICATE = "/etc/apache2/tls/shop.key", "/etc/apache2/tls/shop.crt"
REGISTRY = [entry.as_dict() for entry in selfsigned_entries("/etc/apache2/tls", KEY, CERTIFICATE)]
ARGS = {"registry": REGISTRY, "common_name": "shop.example.com", "subject_alt_name": ["DNS:shop.example.com"]}


def test_a_missing_pair_is_made_key_first():
    host = Host(
        openssl_privatekey={"changed": True},
        openssl_csr_pipe={"changed": True, "csr": "CSR"},
        x509_certificate={"changed": True},
    )
    result = on_host(action(tls_selfsigned, differing=[KEY, CERTIFICATE], **ARGS), host).run(task_vars={})

    assert host.modules() == ["openssl_privatekey", "openssl_csr_pipe", "x509_certificate"]
    key, request, certificate = (args for _name, args in host.calls)
    assert (key["path"], key["mode"], key["type"], key["curve"]) == (KEY, "0600", "ECC", "secp256r1")
    assert request["common_name"] == "shop.example.com"
    assert (certificate["path"], certificate["mode"], certificate["csr_content"]) == (CERTIFICATE, "0644", "CSR")
    assert (result["changed"], result["changed_entries"]) == (True, ["tls_key", "tls_certificate"])


def test_a_certificate_with_the_wrong_mode_alone_is_made_again():
    host = Host(openssl_csr_pipe={"csr": "CSR"}, x509_certificate={"changed": True})
    result = on_host(action(tls_selfsigned, differing=[CERTIFICATE], **ARGS), host).run(task_vars={})

    assert host.modules() == ["openssl_csr_pipe", "x509_certificate"]
    assert result["changed_entries"] == ["tls_certificate"]


def test_check_mode_cannot_sign_with_a_key_it_only_pretends():
    host = Host(openssl_privatekey={"changed": True})
    plugin = action(tls_selfsigned, check_mode=True, differing=[KEY, CERTIFICATE], **ARGS)
    result = on_host(plugin, host).run(task_vars={})

    assert host.modules() == ["openssl_privatekey"]
    assert result["changed_entries"] == ["tls_key", "tls_certificate"]


def test_a_failed_step_says_which():
    host = Host(openssl_privatekey={"failed": True, "msg": "cryptography is missing"})
    result = on_host(action(tls_selfsigned, differing=[KEY], **ARGS), host).run(task_vars={})

    assert result["failed"]
    assert result["msg"] == "The self-signed key could not be made: cryptography is missing"
