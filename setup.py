from __future__ import annotations

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

CATALOGUES = Path("ckanext/lutsk/i18n")


class BuildPyWithCatalogues(build_py):
    """build_py that also compiles the message catalogues (uk_UA, en: .po -> .mo) into the
    build, so a wheel (and a non-editable ``pip install``) speaks Ukrainian. The .mo files
    are git-ignored; babel comes from [build-system] requires in pyproject.toml."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the source tree (bin/i18n compile)
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        pos = sorted(CATALOGUES.glob("*/LC_MESSAGES/*.po"))
        if not pos:
            raise SystemExit(f"no message catalogues under {CATALOGUES}: the wheel would be English only")
        for po in pos:
            with po.open("rb") as f:
                catalog = read_po(f, locale=po.parts[-3])
            mo = Path(self.build_lib) / po.with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)

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
        # Passport element 1 (the dataset's name) from a Ukrainian title by the official
        # transliteration (CMU resolution No. 55 of 27.01.2010).
        "translitua>=2.0,<3",
        # Data checks of CSV/XLSX resources (issue 19): Frictionless directly, not
        # ckanext-validation (its 2.2.0 on PyPI declares CKAN 2.10/2.11 unsupported).
        "frictionless>=5.18,<6",
        # Tabular resources loaded into CKAN's DataStore for the preview (datatables_view)
        # and the DataStore API (issue 19, item 4); its worker job runs on the default queue.
        # 2.5.2, not 2.6.0: the same code, but 2.6.0 declares requests/urllib3/six/certifi/idna
        # newer than CKAN 2.11's pins, so pip cannot resolve it with ckan[requirements].
        # 2.5.2 declares none of its imports: tabulator and Unidecode are named here.
        "ckanext-xloader>=2.5.2,<2.6",
        "tabulator>=1.53,<2",
        "Unidecode>=1.3,<2",
    ],
    cmdclass={"build_py": BuildPyWithCatalogues},
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
