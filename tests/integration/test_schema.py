"""The passport schema through CKAN's action API and form: every field validated with a
clear Ukrainian message, nothing written when anything is rejected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.lutsk_factories import body_org, dataset, passport, site_user

ABOLISHED_REGISTRY = str(Path(__file__).parents[1] / "data" / "registry_abolished.yaml")


def _create(**overrides):
    return call_action("package_create", context={"user": site_user()}, **passport(**overrides))


def _errors(**overrides) -> dict:
    with pytest.raises(tk.ValidationError) as err:
        _create(**overrides)
    return err.value.error_dict


pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
# Action calls in a request context, as in the portal: messages in its default locale (uk_UA).
in_request = pytest.mark.usefixtures("with_request_context")


@in_request
class TestValidPassport:
    def test_fields_round_trip_with_datagovua_keys(self, org):
        pkg = _create(owner_org=org["id"], name="budget-ok", data_changed="2024-01-10")
        shown = call_action("package_show", id="budget-ok")
        for key in ("purpose_of_collecting_information", "update_frequency", "language", "maintainer_email"):
            assert shown[key] == pkg[key]
        assert shown["update_frequency"] == "once a month"
        assert shown["language"] == "ua"
        assert shown["tag_string"] == "бюджет,фінанси"
        assert shown["data_changed"] == "2024-01-10"
        assert shown["license_id"] == "cc-by"

    def test_owner_body_name_and_code_in_api(self, org):
        _create(owner_org=org["id"], name="budget-body")
        body = call_action("package_show", id="budget-body")["owner_body"]
        assert body["slug"] == "finance-budget"
        assert body["title"]["uk"] == "Департамент фінансів та бюджету"
        assert "edrpou" in body

    def test_defaults_for_language_and_licence(self, org):
        pkg = _create(owner_org=org["id"], language="", license_id="")
        assert pkg["language"] == "ua"
        assert pkg["license_id"] == "cc-by"

    def test_public_dataset_gets_first_publication_date_and_data_update(self, org):
        pkg = _create(owner_org=org["id"])
        assert pkg["date_published"]
        assert pkg["data_updated"]

    def test_draft_gets_no_publication_date_until_public(self, org):
        pkg = _create(owner_org=org["id"], private=True)
        assert not pkg.get("date_published")
        pkg = call_action("package_patch", context={"user": site_user()}, id=pkg["id"], private=False)
        assert pkg["date_published"]

    def test_metadata_edit_keeps_data_updated_but_new_link_moves_it(self, org):
        pkg = _create(owner_org=org["id"], data_updated="2024-02-01T10:00:00")
        assert pkg["data_updated"].startswith("2024-02-01")
        pkg = call_action("package_patch", context={"user": site_user()}, id=pkg["id"], notes="Новий опис")
        assert pkg["data_updated"].startswith("2024-02-01"), "a metadata edit is not a data update"
        resources = [dict(pkg["resources"][0], url="https://lutskrada.gov.ua/opendata/budget-2.csv")]
        pkg = call_action("package_patch", context={"user": site_user()}, id=pkg["id"], resources=resources)
        assert pkg["data_updated"][:10] == dt.datetime.utcnow().date().isoformat()
        assert pkg["date_published"], "first publication stays"

    def test_apostrophes_in_keywords_are_kept_as_modifier_letter(self, org):
        pkg = _create(owner_org=org["id"], tag_string="об'єкти, здоров’я,  пам`ятки ")
        assert {t["name"] for t in pkg["tags"]} == {"обʼєкти", "здоровʼя", "памʼятки"}
        assert call_action("package_show", id=pkg["id"])["tag_string"].count("ʼ") == 3

    def test_apostrophes_in_tags_sent_as_a_list(self, org):
        data = passport(owner_org=org["id"])
        del data["tag_string"]
        data["tags"] = [{"name": "об'єкти"}, {"name": "бюджет"}]
        pkg = call_action("package_create", context={"user": site_user()}, **data)
        assert {t["name"] for t in pkg["tags"]} == {"обʼєкти", "бюджет"}

    def test_keywords_are_required(self, org):
        errors = _errors(owner_org=org["id"], tag_string="")
        assert errors["tag_string"] == ["Відсутнє значення"]

    def test_frequency_alias_is_normalised(self, org):
        pkg = _create(owner_org=org["id"], update_frequency="Once A Month")
        assert pkg["update_frequency"] == "once a month"


@in_request
class TestRejected:
    def test_title_over_254_chars(self, org):
        errors = _errors(owner_org=org["id"], title="Б" * 255)
        assert errors["title"] == ["Не більше 254 символів (зараз 255)."]

    def test_description_over_4000_chars(self, org):
        errors = _errors(owner_org=org["id"], notes="x" * 4001)
        assert "Не більше 4000 символів" in errors["notes"][0]

    def test_unknown_frequency(self, org):
        errors = _errors(owner_org=org["id"], update_frequency="every full moon")
        message = errors["update_frequency"][0]
        assert message.startswith("Невідоме значення «every full moon». Оберіть одне з:")
        assert "once a month" in message

    def test_missing_frequency_and_purpose(self, org):
        errors = _errors(owner_org=org["id"], update_frequency="", purpose_of_collecting_information="")
        assert set(errors) >= {"update_frequency", "purpose_of_collecting_information"}

    def test_bad_email(self, org):
        errors = _errors(owner_org=org["id"], maintainer_email="olena.koval@")
        assert errors["maintainer_email"] == ["«olena.koval@» — неправильна адреса електронної пошти."]

    def test_data_changed_in_the_future(self, org):
        tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
        errors = _errors(owner_org=org["id"], data_changed=tomorrow)
        assert errors["data_changed"] == [f"Дата {tomorrow} ще не настала."]

    def test_keyword_with_characters_the_national_portal_drops(self, org):
        errors = _errors(owner_org=org["id"], tag_string="бюджет/фінанси")
        assert "Ключове слово «бюджет/фінанси» містить символи" in errors["tag_string"][0]

    def test_unknown_language_and_licence(self, org):
        errors = _errors(owner_org=org["id"], language="klingon", license_id="wtfpl")
        assert errors["language"][0].startswith("Невідоме значення «klingon»")
        assert errors["license_id"][0].startswith("Ліцензія «wtfpl» не дозволена")

    @pytest.mark.parametrize("licence", ["cc-by-sa", "odc-odbl", "notspecified", "cc-zero"])
    def test_only_cc_by_4_0_is_accepted(self, org, licence):
        # Art. 10-1 of the access-to-public-information law: attribution is the only condition.
        errors = _errors(owner_org=org["id"], license_id=licence)
        assert "статт" in errors["license_id"][0] and "cc-by" in errors["license_id"][0]

    def test_editing_keeps_no_other_licence(self, org):
        pkg = _create(owner_org=org["id"], name="licence-edit")
        with pytest.raises(tk.ValidationError) as err:
            call_action("package_patch", context={"user": site_user()}, id=pkg["id"], license_id="odc-odbl")
        assert "license_id" in err.value.error_dict
        assert call_action("package_show", id=pkg["id"])["license_id"] == "cc-by"

    def test_description_and_restricted_note_are_4000_together(self, org):
        errors = _errors(owner_org=org["id"], notes="о" * 3000, restricted_info="р" * 1001)
        message = errors["notes"][0]
        # Names both fields and the count.
        assert "опис" in message and "обмеженим доступом" in message
        assert "4001" in message and "3000" in message and "1001" in message
        assert _create(owner_org=org["id"], name="element3-ok", notes="о" * 3000, restricted_info="р" * 1000)

    def test_purpose_at_most_512(self, org):
        errors = _errors(owner_org=org["id"], purpose_of_collecting_information="п" * 513)
        assert errors["purpose_of_collecting_information"] == ["Не більше 512 символів (зараз 513)."]

    def test_resource_link_must_be_http(self, org):
        errors = _errors(owner_org=org["id"], resources=[{"url": "file:///etc/passwd", "format": "CSV"}])
        assert errors["resources"][0]["url"] == ["Введіть посилання, що починається з http:// або https://."]

    def test_unknown_resource_format_and_compression(self, org):
        errors = _errors(
            owner_org=org["id"], resources=[{"url": "https://x.ua/a", "format": "EXE", "compression": "CSV"}]
        )
        assert errors["resources"][0]["format"][0].startswith("Невідоме значення «EXE»")
        assert errors["resources"][0]["compression"][0].startswith("Невідоме значення «CSV»")

    def test_organization_that_is_not_a_body(self):
        other = factories.Organization(name="not-a-body", title="Some NGO")
        errors = _errors(owner_org=other["id"])
        assert errors["owner_org"] == ["«Some NGO» немає в реєстрі виконавчих органів Луцької міської ради."]

    def test_dataset_needs_a_body(self):
        errors = _errors(owner_org="")
        assert "owner_org" in errors

    @pytest.mark.ckan_config("ckanext.lutsk.registry_file", ABOLISHED_REGISTRY)
    def test_abolished_body_names_its_successor(self):
        old = body_org("education-directorate")
        errors = _errors(owner_org=old["id"])
        assert errors["owner_org"] == [
            "«Управління освіти» ліквідовано 2020-12-31. Його набори даних тепер веде «Департамент освіти»."
        ]

    def test_rejected_create_writes_nothing(self, org):
        before = model.Session.query(model.Package).count()
        _errors(owner_org=org["id"], name="never-written", title="Б" * 300)
        assert model.Package.get("never-written") is None
        assert model.Session.query(model.Package).count() == before
        assert call_action("package_search", q="name:never-written")["count"] == 0

    def test_rejected_update_changes_nothing(self, org):
        pkg = dataset(owner_org=org["id"], name="kept-as-is")
        with pytest.raises(tk.ValidationError):
            call_action(
                "package_patch",
                context={"user": site_user()},
                id=pkg["id"],
                title="Новий",
                maintainer_email="x",
            )
        shown = call_action("package_show", id="kept-as-is")
        assert shown["title"] == pkg["title"]
        assert shown["maintainer_email"] == pkg["maintainer_email"]


class TestSameErrorsInFormAndApi:
    def test_api_client_gets_the_ukrainian_message(self, app, org):
        user = factories.SysadminWithToken()
        resp = app.post(
            "/api/3/action/package_create",
            json=passport(owner_org=org["id"], update_frequency="weekly-ish"),
            headers={"Authorization": user["token"]},
            status=409,
        )
        error = resp.json["error"]
        assert error["__type"] == "Validation Error"
        assert error["update_frequency"][0].startswith("Невідоме значення «weekly-ish»")

    def test_form_shows_the_message_and_keeps_the_input(self, app, org):
        user = factories.SysadminWithToken()
        form = passport(owner_org=org["id"], name="form-bad", title="Б" * 255, maintainer_email="nobody")
        form.pop("resources")
        form["save"] = "continue"
        form["_ckan_phase"] = "dataset_new_1"
        resp = app.post("/dataset/new", data=form, headers={"Authorization": user["token"]})
        assert "Не більше 254 символів (зараз 255)." in resp.body
        assert "«nobody» — неправильна адреса електронної пошти." in resp.body
        assert "Б" * 255 in resp.body, "what the user typed stays in the form"
        assert model.Package.get("form-bad") is None


@pytest.mark.usefixtures("with_plugins")
def test_licences_are_the_city_maintained_list():
    from ckan import model

    ids = set(model.Package.get_license_register().keys())
    assert ids == {"cc-by"}, "the law allows attribution only (art. 10-1)"
    assert "uk-ogl" not in ids, "CKAN's built-in list is replaced by data/licenses.json"
