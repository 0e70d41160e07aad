from __future__ import annotations

from pathlib import Path

from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-lutsk",
    version="0.1.0",
    description="Open data portal of Lutsk City Council: passport schema, executive bodies, "
    "update deadlines and sync with data.gov.ua",
    long_description=Path("README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11",
    packages=find_namespace_packages(include=["ckanext", "ckanext.*"]),
    include_package_data=True,
    package_data={
        "ckanext.lutsk": [
            "config_declaration.yaml",
            "schemas/*.yaml",
            "data/*",
            "data/structures/*",
            "templates/**/*",
            "assets/**/*",
            "i18n/*/LC_MESSAGES/*",
            "migration/lutsk/*",
            "migration/lutsk/versions/*",
        ]
    },
    install_requires=[
        # CKAN itself is installed with its extras (see requirements-dev.txt):
        # its wheel declares its dependencies only there.
        "ckanext-scheming>=3.1,<3.2",
        "ckanext-dcat>=2.4,<2.5",
        "ckanext-harvest>=1.6,<1.7",
        "ckanapi>=4.11",
        "holidays>=0.60",
        "PyYAML",
        "python-dateutil",
        # XML bomb and XXE protection for RDF that reaches the portal (rdf_guard).
        "defusedxml>=0.7",
        # XLSX export of the deadline report.
        "openpyxl>=3.1",
        # The printable information audit plan (DOCX); its XLSX uses openpyxl too.
        "python-docx>=1.1",
        # The passport as PDF (passport_pdf; fonts from Debian's fonts-dejavu-core).
        "fpdf2>=2.8,<2.9",
        # Data checks of CSV/XLSX resources (issue 19): Frictionless directly, not
        # ckanext-validation (its 2.2.0 on PyPI declares CKAN 2.10/2.11 unsupported).
        "frictionless>=5.18,<6",
    ],
    entry_points={
        "ckan.plugins": [
            "lutsk = ckanext.lutsk.plugin:LutskPlugin",
            "lutsk_datagovua = ckanext.lutsk.datagovua.harvester:LutskDatagovuaHarvester",
        ],
        "ckan.rdf.profiles": [
            "lutsk = ckanext.lutsk.dcat.profile:LutskDCATAPProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
