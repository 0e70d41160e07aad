"""The extension's blueprints, found here by ``tk.blanket.blueprints``."""

from __future__ import annotations

from ckanext.lutsk.views.datacheck import datacheck_bp
from ckanext.lutsk.views.datagovua import datagovua_bp
from ckanext.lutsk.views.deadlines import deadlines_bp
from ckanext.lutsk.views.locale import locale_bp
from ckanext.lutsk.views.oversight import oversight_bp
from ckanext.lutsk.views.passport import passport_bp
from ckanext.lutsk.views.publication import publication_bp

__all__ = [
    "datacheck_bp",
    "datagovua_bp",
    "deadlines_bp",
    "locale_bp",
    "oversight_bp",
    "passport_bp",
    "publication_bp",
]
