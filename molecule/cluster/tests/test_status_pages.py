"""The status pages: HAProxy's statistics on the load balancer and Apache's
mod_status on the application servers, off by default; on, each answers the
host itself and the networks allowed, and no one else on the network."""

import json

from test_cluster import LB_HOST, WEB_HOSTS, web

from conftest import play

testinfra_hosts = [f"ansible://{LB_HOST}"]
STATS_URL = "http://127.0.0.1:8404/stats"


def code(host, url):
    """The HTTP status a GET of URL gets from HOST, or 0 with no answer."""
    result = host.run(f"curl -sS -o /dev/null -w '%{{http_code}}' --max-time 5 '{url}'")
    return int(result.stdout) if result.rc == 0 else 0


def test_status_pages_answer_only_the_host_and_the_allowed_network(host):
    web1, web2 = web(WEB_HOSTS[0]), web(WEB_HOSTS[1])
    # The load balancer's address on the scenario's network, as web1 sees it.
    lb_address = web1.check_output(f"getent hosts {LB_HOST}").split()[0]
    settings = {"apache_server_status": True, "haproxy_lb_stats": True, "apache_server_status_allow": [lb_address]}
    try:
        rc, report = play("-e", json.dumps(settings))
        assert rc == 0, report["stats"]

        # HAProxy's page: on the load balancer itself, bound to its loopback.
        assert "Statistics Report" in host.check_output(f"curl -sS --max-time 5 {STATS_URL}")
        assert code(web1, f"http://{LB_HOST}:8404/stats") == 0
        # Apache's: on the server itself, from the allowed address, not from another server.
        assert "ServerUptimeSeconds:" in web1.check_output(
            "curl -sS --max-time 5 'http://127.0.0.1/server-status?auto'"
        )
        assert code(host, f"http://{WEB_HOSTS[0]}/server-status?auto") == 200
        assert code(web2, f"http://{WEB_HOSTS[0]}/server-status?auto") == 403
    finally:
        rc, report = play()
    # Off again, the defaults: mod_status is disabled and HAProxy's page is gone.
    assert rc == 0, report["stats"]
    assert web1.run("a2query -m status").rc != 0
    assert code(web1, "http://127.0.0.1/server-status?auto") in (403, 404)
    assert code(host, STATS_URL) == 0
