"""ckanext-xloader, which loads tabular resources into CKAN's DataStore for the preview
(datatables_view) and the DataStore API (issue 19, item 4), set up for Ukrainian files."""

from __future__ import annotations

import ckan.plugins as p

#: What a CSV that is not UTF-8 is read as. Here that file comes from Excel on a Ukrainian
#: Windows: Windows-1251 (the data check reports it and asks for UTF-8).
SINGLE_BYTE_ENCODING = "cp1251"


def read_single_byte_files_as_cp1251() -> None:
    """xloader 2.5 reads a CSV as the encoding chardet names only when chardet is more than
    70% sure, which it seldom is of Windows-1251 Ukrainian text; otherwise as UTF-8, and
    when that fails, as its fixed single-byte fallback Windows-1252 - a Ukrainian file
    would reach the DataStore as «Íàçâà». It offers no option for the fallback, so its
    module constant is set here, once, at start-up (web and worker processes alike)."""
    if not p.plugin_loaded("xloader"):
        return
    from ckanext.xloader import loader

    loader.SINGLE_BYTE_ENCODING = SINGLE_BYTE_ENCODING
