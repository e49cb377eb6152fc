import pytest


@pytest.mark.parametrize("name", ["apache2", "libapache2-mod-wsgi-py3", "python3-flask"])
def test_package_is_installed(host, name):
    assert host.package(name).is_installed
