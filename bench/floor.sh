#!/usr/bin/env bash
# The floor a deploy is measured against: the manual steps, as one script run
# by `sudo bash -s` over a single SSH session. It reaches the state a default
# role run reaches (packages, account, code, daemon-mode site, Apache serving
# /app) with no checks, no idempotence and no rollback. APP_B64 (the WSGI
# script, base64) is set by bench/deploy.py ahead of this file.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update -q >/dev/null
apt-get install -y -q apache2 libapache2-mod-wsgi-py3 python3-flask >/dev/null

id wsgi >/dev/null 2>&1 || useradd --system --user-group --shell /usr/sbin/nologin \
    --home-dir /var/lib/wsgi --create-home wsgi
install -d -m 0755 /var/www/flaskapp /var/www/flaskapp-public
printf '%s' "$APP_B64" | base64 -d >/var/www/flaskapp/flaskapp.wsgi

cat >/etc/apache2/sites-available/wsgi.conf <<'SITE'
<VirtualHost *:80>
    DocumentRoot /var/www/flaskapp-public
    WSGIDaemonProcess flaskapp user=wsgi group=wsgi processes=1 threads=3 display-name=flaskapp home=/var/lib/wsgi python-path=/var/www/flaskapp
    WSGIProcessGroup flaskapp
    WSGIApplicationGroup %{GLOBAL}
    WSGIScriptAlias /app /var/www/flaskapp/flaskapp.wsgi
    <Directory /var/www/flaskapp>
        Require all granted
    </Directory>
</VirtualHost>
SITE

a2enmod -q wsgi
a2dissite -q 000-default
a2ensite -q wsgi
systemctl restart apache2
curl -fsS --retry 5 --retry-connrefused http://127.0.0.1/app >/dev/null
