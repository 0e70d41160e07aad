"""The WSGI application for gunicorn (or any WSGI server): CKAN with the config file named
by ``CKAN_INI``, as CKAN's deployment docs build it.

    CKAN_INI=/etc/ckan/production.ini gunicorn --workers 4 --worker-class gthread --threads 4 \\
        --bind 127.0.0.1:8080 ckanext.lutsk.wsgi:application

(README, Production, "The topology": the options, and why there is no ``--preload``.)
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

_ini = os.path.abspath(os.environ["CKAN_INI"])
fileConfig(_ini, disable_existing_loggers=False)
application = make_app(CKANConfigLoader(_ini).get_config())
