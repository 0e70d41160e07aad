"""CKAN core strings that CKAN's own uk_UA catalogue leaves untranslated on the pages
city staff pass through to publish (log in, dashboard, organization, dataset and
resource forms, dataset page, search). Marked here so ``bin/i18n update`` extracts them
into the extension's catalogue, whose translations CKAN merges over its own.
Never called at run time.
"""

from __future__ import annotations


def N_(message: str) -> str:  # the gettext marker babel extracts
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


CORE_STRINGS = (
    N_("Skip to main content"),
    N_("Toggle navigation"),
    N_("Breadcrumb"),
    N_("Submit"),
    N_("Last Modified"),
    N_("Search followee"),
    N_("Account"),
    N_("All activity types"),
    N_("No activity found"),
    N_("Profile picture"),
    N_("Profile picture URL"),
    N_("Required"),
    N_("Token"),
    N_("URL:"),
    N_("Email"),
    N_("Date"),
    N_("Time"),
    N_("from"),
    N_("members"),
    N_("message"),
    N_("Joe Bloggs"),
    N_("joe@example.com"),
    N_("There are no {object_type}s associated with this dataset"),
    N_("There is no description for this {object_type}"),
    N_(
        'You can use <a href="#markdown" title="Markdown quick reference" data-bs-toggle="popover" '
        'data-bs-content="%(markdown_tooltip)s" data-bs-html="true">Markdown formatting</a> here'
    ),
    # Licence title (data/licenses.json): CKAN shows it through gettext.
    N_("Creative Commons Attribution"),
    N_("You can also access this registry using the %(api_link)s (see %(api_doc_link)s)."),
    ngettext("{num} Member", "{num} Members", 1),
)
