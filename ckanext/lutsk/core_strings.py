"""CKAN core strings that CKAN's own uk_UA catalogue leaves untranslated on the pages
city staff pass through to publish (log in, dashboard, organization, dataset and
resource forms, dataset page, search). Marked here so ``bin/i18n update`` extracts them
into the extension's catalogue, whose translations CKAN merges over its own.
Never called at run time.
"""

# ruff: noqa: E501  (msgids are CKAN's exactly, one literal each)
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

#: Strings of the public pages and of staff pages off the publishing path (activity
#: stream, log in, API tokens, errors, dataset forms, the resource-reorder help in
#: CKAN's JavaScript) that CKAN's uk_UA catalogue leaves English (issue 14).
PUBLIC_STRINGS = (
    N_("{actor} updated the {dataset_type} {dataset}"),
    N_("{actor} created the {dataset_type} {dataset}"),
    N_("{actor} deleted the {dataset_type} {dataset}"),
    N_("{actor} created resource view {view_link}"),
    N_("{actor} updated resource view {view_link}"),
    N_('{actor} deleted resource view "{view_title}" for resource {resource_link}'),
    N_("{actor} {activity_type}"),
    N_("View this version"),
    N_("Newer activities"),
    N_("Older activities"),
    N_("No activity found for this type"),
    N_("Activity not found"),
    N_("Unauthorized to view activity data"),
    N_("The detail of this dataset activity is not available"),
    N_("Invalid parameters"),
    N_(
        'You\'re currently viewing an old version of this dataset. Data files may not match the old version of the metadata. <a href="%(url)s">View the current version</a>.'
    ),
    N_("On %(timestamp)s, %(username)s:"),
    N_("Set visibility of {pkg_link} to {visibility}"),
    N_("Changed the source URL of"),
    N_("to"),
    N_("in"),
    N_("Removed the source URL from"),
    N_("No fields were updated. See the metadata diff for more details."),
    N_("Set author of {pkg_link} to {new_author} (previously {old_author})"),
    N_("Set author of {pkg_link} to {new_author}"),
    N_("Removed author from {pkg_link}"),
    N_("Moved {pkg_link} from organization {old_org_link} to organization {new_org_link}"),
    N_("Removed {pkg_link} from organization {old_org_link}"),
    N_("Added {pkg_link} to organization {new_org_link}"),
    N_("Set maintainer of {pkg_link} to {new_maintainer} (previously {old_maintainer})"),
    N_("Set maintainer of {pkg_link} to {new_maintainer}"),
    N_("Removed maintainer from {pkg_link}"),
    N_("Set format of resource"),
    N_("(previously"),
    N_("( previously"),
    N_("( previously "),
    N_(
        'Updated description of {pkg_link} from <br class="line-height2"><blockquote>{old_notes}</blockquote> to <br class="line-height2"><blockquote>{new_notes}</blockquote>'
    ),
    N_('Updated description of {pkg_link} to <br class="line-height2"><blockquote>{new_notes}</blockquote>'),
    N_("Removed description from {pkg_link}"),
    N_("Added resource {resource_link} to {pkg_link}"),
    N_("Added field <q>{key}</q> with value <q>{value}</q> to resource {resource_link} in {pkg_link}"),
    N_("Added field <q>{key}</q> to resource {resource_link} in {pkg_link}"),
    N_("Added the following fields to resource {resource_link} in {pkg_link}"),
    N_("{key} with value {value}"),
    N_("Removed field <q>{key}</q> from resource {resource_link} in {pkg_link}"),
    N_("Removed the following fields from resource {resource_link} in {pkg_link}"),
    N_(
        "Changed value of field <q>{key}</q> of resource {resource_link} to <q>{new_val}</q> (previously <q>{old_val}</q>) in {pkg_link}"
    ),
    N_("Changed value of field <q>{key}</q> to <q>{new_val}</q> in resource {resource_link} in {pkg_link}"),
    N_("Removed the value of field <q>{key}</q> in resource {resource_link} in {pkg_link}"),
    N_("Moved"),
    N_("Changed the license of "),
    N_("Changed the license of"),
    N_("Set author email of "),
    N_("Set author email of"),
    N_("Removed author email from"),
    N_("Added field <q>{key}</q> with value <q>{value}</q> to {pkg_link}"),
    N_("Added field <q>{key}</q> to {pkg_link}"),
    N_("Added the following fields to {pkg_link}"),
    N_("Changed value of field <q>{key}</q> to <q>{new_val}</q> (previously <q>{old_val}</q>) in {pkg_link}"),
    N_("Changed value of field <q>{key}</q> to <q>{new_val}</q> in {pkg_link}"),
    N_("Changed value of field <q>{key}</q> to <q>{value}</q> in {pkg_link}"),
    N_("Removed field <q>{key}</q> from {pkg_link}"),
    N_("Removed the following fields from {pkg_link}"),
    N_("Changed the version of {pkg_link} to {new_version} (previously {old_version})"),
    N_("Removed the version from {pkg_link}"),
    N_("Changed the version of {pkg_link} to {new_version}"),
    N_("Changed title to {title_link} (previously {old_title})"),
    N_("Renamed resource {old_resource_link} to {new_resource_link} in {pkg_link}"),
    N_("Set maintainer email of"),
    N_("Removed maintainer email from"),
    N_("Deleted resource {resource_link} from {pkg_link}"),
    N_(
        'Updated description of resource {resource_link} in {pkg_link} to <br class="line-height2"><blockquote>{new_desc}</blockquote>'
    ),
    N_("Removed description from resource {resource_link} in {pkg_link}"),
    N_(
        'Updated description of resource {resource_link} in {pkg_link} from <br class="line-height2"><blockquote>{old_desc}</blockquote> to <br class="line-height2"><blockquote>{new_desc}</blockquote>'
    ),
    N_("Removed tag {tag_link} from {pkg_link}"),
    N_("Removed the following tags from {pkg_link}"),
    N_("Added tag {tag_link} to {pkg_link}"),
    N_("Added the following tags to {pkg_link}"),
    N_("Uploaded a new file to resource {resource_link} in {pkg_link}"),
    N_("Username or Email"),
    N_("Login failed. Bad username or password or CAPTCHA."),
    N_("Email or username"),
    N_("Request Reset"),
    N_(
        "Enter your email address or username into the box and we will send you an email with a link to enter a new password."
    ),
    N_("A reset link has been emailed to you (unless the account specified does not exist)"),
    N_("Your password must be 8 characters or longer."),
    N_("Email is required"),
    N_("You can also change username. It can not be modified later."),
    N_("You haven't created any API Tokens."),
    N_("Last access"),
    N_("Actions"),
    N_("Revoke"),
    # CKAN 2.12's dataset form: back to a draft.
    N_("Unpublish"),
    # CKAN 2.12's new names of links and buttons (tags, facets, members).
    N_("Search datasets with the tag: {name}"),
    N_("Search datasets with the tag: {tag}"),
    N_("Search datasets by {name}: {label}"),
    N_("Remove applied filter: {value}"),
    N_("Edit role"),
    N_("Edit the role of the user within the organization"),
    # CKAN 2.12's pager: «previous» and «next» are chevrons (lutsk-a11y.js names them).
    N_("Previous page"),
    N_("Next page"),
    # CKAN 2.12's token list revokes the ticked tokens at once.
    N_("Revoke tokens"),
    N_("Are you sure you want to revoke these tokens?"),
    N_("Unauthorized to view API tokens."),
    N_("Unauthorized to create API tokens."),
    N_("Unauthorized to revoke API tokens."),
    N_(
        'API Token created: <code style="word-break:break-all;">{token}</code> {copy}<br>Make sure to copy it now, you won\'t be able to see it again!'
    ),
    N_("Last Active"),
    N_("User isn't a member of any organizations."),
    N_("User isn't a member of any groups."),
    N_("View dashboard"),
    N_("Unauthorized to read package"),
    N_("Not authorized to download resource"),
    N_("Dataset not found or you have no permission to view it"),
    N_("Collaborators"),
    N_("Manage resource: {name}"),
    N_("Close"),
    N_("No Organization"),
    N_("No organization"),
    N_("Update {page}"),
    N_("Next"),
    N_(
        'You can rearrange the resources by dragging them using the arrow icon. Drag the resource to the right and place it to the desired location on the list. When you are done, click the "Save order" -button.'
    ),
)

#: The sysadmin's pages and ckanext-harvest (which ships no Ukrainian catalogue).
ADMIN_STRINGS = (
    N_("Revoke Sysadmin permission"),
    N_("Promote user to Sysadmin"),
    N_("Promote"),
    N_(
        '<p>As a sysadmin user you have full control over this CKAN instance. Proceed with care!</p> <p>For guidance on using sysadmin features, see the CKAN  <a href="%(docs_url)s" target="_blank" rel="noreferrer">sysadmin guide</a></p>'
    ),
    N_("Purge deleted datasets, organizations or groups forever and irreversibly."),
    N_("Custom Stylesheet"),
    N_(
        '<p><strong>Site Title:</strong> This is the title of this CKAN instance It appears in various places throughout CKAN.</p> <p><strong>Custom Stylesheet:</strong> Define an alternative main CSS file.</p> <p><strong>Site Tag Logo:</strong> This is the logo that appears in the header of all the CKAN instance templates.</p> <p><strong>About:</strong> This text will appear on this CKAN instances <a href="%(about_url)s">about page</a>.</p> <p><strong>Intro Text:</strong> This text will appear on this CKAN instances <a href="%(home_url)s">home page</a> as a welcome to visitors.</p> <p><strong>Custom CSS:</strong> This is a block of CSS that appears in <code>&lt;head&gt;</code> tag of every page. If you wish to customize the templates more fully we recommend <a href="%(docs_url)s" target="_blank" rel="noreferrer">reading the documentation</a>.</p>'
    ),
    N_("Harvest"),
    N_("Harvest Sources"),
    N_("Harvest sources"),
    N_("Create Harvest Source"),
    N_("Create harvest source"),
    N_(
        "Harvest sources allow importing remote metadata into this catalog. Remote sources can be other catalogs such as other CKAN instances, CSW servers or Web Accessible Folders (WAF) (depending on the actual harvesters enabled for this instance)."
    ),
    N_("There is no description for this harvest source"),
    N_("Search harvest sources..."),
    N_(
        "This will re-run the harvesting for this source. Any updates at the source will overwrite the local datasets. Sources with a large number of datasets may take a significant amount of time to finish harvesting. Please confirm you would like us to start reharvesting."
    ),
    N_("Reharvest"),
    N_("Stop"),
    N_("Clear"),
    N_("View harvest source"),
    N_("Edit harvest source"),
    N_("This should include the http:// part of the URL"),
    N_("Configuration"),
    N_("Delete source"),
    N_("Delete and clear source"),
    N_('{number} harvest source found for "{query}"'),
    N_('Sorry no harvest sources found for "{query}"'),
    N_("{number} harvest source found"),
    N_("Sorry no harvest sources found"),
    N_("There are no datasets associated to this harvest source."),
    N_("Add Harvest Source"),
)
