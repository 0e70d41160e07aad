"""Issue 14: a body's editor publishes and keeps a dataset current, through the action API
and CKAN's own forms (the browser journey is in tests/browser/test_journey.py)."""

from __future__ import annotations

import datetime as dt
import io

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lutsk import helpers
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import workdays
from tests import ckan_compat
from tests.lutsk_factories import body_org, passport, staff

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def editor():
    org = body_org("finance-budget")
    return {"user": staff(editor=(org, "editor"))["editor"], "org": org}


def _days_ago(n: int) -> str:
    return (workdays.kyiv_today() - dt.timedelta(days=n)).isoformat()


def _as(editor, action: str, **data):
    return call_action(action, context={"user": editor["user"]["name"]}, **data)


@pytest.mark.usefixtures("with_request_context")
class TestDataChangedBeforeFirstPublication:
    """«Дата зміни даних» earlier than the first publication is not an error."""

    def test_private_then_public_then_every_later_save_works(self, editor):
        changed = _days_ago(4)
        pkg = _as(
            editor,
            "package_create",
            **passport(owner_org=editor["org"]["id"], private=True, data_changed=changed),
        )
        assert not pkg.get("date_published")
        pkg = _as(editor, "package_patch", id=pkg["id"], private=False)
        assert pkg["date_published"][:10] == dt.datetime.utcnow().date().isoformat()
        # Every later save: a description-only edit, and an update with package_show's dict.
        pkg = _as(editor, "package_patch", id=pkg["id"], notes="Лише новий опис.")
        pkg = _as(editor, "package_update", **call_action("package_show", id=pkg["id"]))
        assert pkg["data_changed"] == changed
        # The first publication carries that change: on time by definition.
        assert status.package_status(pkg).state in status.GOOD_STATES

    def test_a_change_recorded_after_publication_may_predate_it(self, editor):
        pkg = _as(
            editor,
            "package_create",
            **passport(owner_org=editor["org"]["id"], date_published="2024-03-01T09:00:00"),
        )
        pkg = _as(editor, "package_patch", id=pkg["id"], data_changed="2024-02-01")
        assert pkg["data_changed"] == "2024-02-01"

    def test_a_public_draft_has_no_first_publication_yet(self, editor):
        data = passport(owner_org=editor["org"]["id"], private=False, state="draft")
        data.pop("resources")
        pkg = _as(editor, "package_create", **data)
        assert pkg["state"] == "draft"
        assert not pkg.get("date_published")


def test_two_step_form_with_an_earlier_change_is_not_stuck_as_a_draft(app, editor):
    """Step 1 (public, «Дата зміни даних» in the past), step 2 a link, «Завершити»."""
    headers = {"Authorization": editor["user"]["token"]}
    form = passport(
        owner_org=editor["org"]["id"], name="two-step", private="False", data_changed=_days_ago(4)
    )
    form.pop("resources")
    form.update(save="continue", _ckan_phase="dataset_new_1")
    resp = app.post("/dataset/new", data=form, headers=headers, follow_redirects=False)
    assert resp.status_code == 302, resp.body
    assert model.Package.get("two-step").state == "draft"
    resource = {"id": "", "url": "https://lutskrada.gov.ua/opendata/two.csv", "name": "Дані", "format": "CSV"}
    resp = app.post(
        "/dataset/two-step/resource/new",
        data=dict(resource, save="go-metadata"),
        headers=headers,
        follow_redirects=False,
    )
    assert resp.status_code == 302, resp.body
    assert "data_changed" not in resp.body
    pkg = call_action("package_show", id="two-step")
    assert pkg["state"] == "active"
    assert pkg["date_published"]
    assert status.package_status(pkg).state in status.GOOD_STATES


class TestActivityForAnonymous:
    """Passport element 14 links every dataset to its activity page."""

    def test_public_dataset_history_is_shown(self, app, editor):
        pkg = _as(editor, "package_create", **passport(owner_org=editor["org"]["id"]))
        resp = app.get(f"/dataset/activity/{pkg['name']}")
        assert resp.status_code == 200
        assert pkg["title"] in resp.body

    def test_private_or_unknown_dataset_is_refused_not_a_server_error(self, app, editor):
        pkg = _as(editor, "package_create", **passport(owner_org=editor["org"]["id"], private=True))
        assert app.get(f"/dataset/activity/{pkg['name']}").status_code in (403, 404)
        assert app.get("/dataset/activity/no-such-dataset").status_code == 404


@pytest.mark.usefixtures("with_request_context")
class TestIdentifierFromTitle:
    """Passport element 1 made by the official transliteration when the API leaves it out."""

    TITLE = "Відвідуваність закладів культури Луцька"

    def test_package_create_without_a_name(self, editor):
        data = passport(owner_org=editor["org"]["id"], title=self.TITLE)
        data.pop("name")
        first = _as(editor, "package_create", **data)
        second = _as(editor, "package_create", **data)
        assert first["name"] == "vidviduvanist-zakladiv-kultury-lutska"
        assert second["name"] == "vidviduvanist-zakladiv-kultury-lutska-2"

    def test_an_update_without_a_name_keeps_it(self, editor):
        pkg = _as(editor, "package_create", **passport(owner_org=editor["org"]["id"], name="kept-name"))
        data = {k: v for k, v in pkg.items() if k != "name"}
        assert _as(editor, "package_update", **data)["name"] == "kept-name"

    def test_rdf_without_an_identifier_gets_the_transliterated_name(self):
        from ckanext.dcat.processors import RDFParser

        text = """
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://example.org/d/1> a dcat:Dataset ; dct:title "Відвідуваність закладів культури Луцька"@uk .
        """
        parser = RDFParser(profiles=["lutsk"])
        parser.parse(text, _format="turtle")
        [parsed] = list(parser.datasets())
        assert parsed["name"] == "vidviduvanist-zakladiv-kultury-lutska"


class TestNotPublishedAndPublish:
    """A private or draft dataset reads «Не оприлюднено» and offers «Оприлюднити»."""

    def _private(self, editor, **extra):
        return _as(editor, "package_create", **passport(owner_org=editor["org"]["id"], private=True, **extra))

    def test_private_dataset_page_says_not_published_and_offers_publish(self, app, editor):
        pkg = self._private(editor, data_changed=_days_ago(3))
        env = ckan_compat.browser_login(app, editor["user"])
        page = app.get(f"/dataset/{pkg['name']}", extra_environ=env).body
        assert "Не оприлюднено" in page
        assert "Вчасно" not in page, "the deadline badge belongs to published datasets"
        assert f'action="/dataset/{pkg["name"]}/make-public"' in page
        search = app.get("/dataset/", extra_environ=env).body
        assert "Не оприлюднено" in search

    def test_publish_in_one_step(self, app, editor):
        pkg = self._private(editor, data_changed=_days_ago(3))
        env = ckan_compat.browser_login(app, editor["user"])
        resp = app.post(f"/dataset/{pkg['name']}/make-public", extra_environ=env, follow_redirects=False)
        assert resp.status_code == 302
        assert resp.headers["Location"].endswith(f"/dataset/{pkg['name']}")
        shown = call_action("package_show", id=pkg["id"])
        assert shown["private"] is False
        assert shown["date_published"][:10] == dt.datetime.utcnow().date().isoformat()
        page = app.get(f"/dataset/{pkg['name']}", extra_environ=env).body  # (the flash: browser test)
        assert "Вчасно" in page
        assert "make-public" not in page

    def test_a_draft_without_data_goes_to_the_resource_form(self, app, editor):
        data = passport(owner_org=editor["org"]["id"], state="draft", private=True)
        data.pop("resources")
        pkg = _as(editor, "package_create", **data)
        env = ckan_compat.browser_login(app, editor["user"])
        resp = app.post(f"/dataset/{pkg['name']}/make-public", extra_environ=env, follow_redirects=False)
        assert resp.status_code == 302
        assert resp.headers["Location"].endswith(f"/dataset/{pkg['name']}/resource/new")
        assert call_action("package_show", id=pkg["id"])["private"] is True

    def test_others_cannot_publish(self, app, editor):
        pkg = self._private(editor)
        other = factories.User()
        as_other = ckan_compat.browser_login(app, other)
        resp = app.post(f"/dataset/{pkg['name']}/make-public", extra_environ=as_other)
        assert resp.status_code in (403, 404)
        ckan_compat.browser_logout(app)
        assert app.post(f"/dataset/{pkg['name']}/make-public").status_code in (403, 404)
        assert call_action("package_show", id=pkg["id"])["private"] is True

    @pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
    def test_refused_without_the_csrf_token(self, app, editor):
        pkg = self._private(editor)
        env = ckan_compat.browser_login(app, editor["user"])
        resp = app.post(f"/dataset/{pkg['name']}/make-public", data={}, extra_environ=env, status=400)
        assert "CSRF" in resp.body
        assert call_action("package_show", id=pkg["id"])["private"] is True


def _upload(app, editor, pkg_id: str, name: str = "budget.csv", content: bytes = b"a,b\n1,2\n", **extra):
    resp = app.post(
        "/api/3/action/resource_create",
        data={"package_id": pkg_id, "upload": (io.BytesIO(content), name), **extra},
        headers={"Authorization": editor["user"]["token"]},
    )
    return resp.json["result"]


class TestFormatGuessed:
    """Passport element 6 from the file or the link, when the editor leaves it empty."""

    def test_links_by_their_extension(self, editor):
        resources = [
            {"url": "https://lutskrada.gov.ua/opendata/a.xlsx", "name": "A"},
            {"url": "https://lutskrada.gov.ua/opendata/b.json?v=2", "name": "B"},
            {"url": "https://lutskrada.gov.ua/opendata/c.csv.zip", "name": "C"},
            {"url": "https://lutskrada.gov.ua/opendata/d.csv", "name": "D", "format": "XML"},
        ]
        pkg = call_action(
            "package_create",
            context={"user": editor["user"]["name"]},
            **passport(owner_org=editor["org"]["id"], resources=resources),
        )
        got = [(r["format"], r.get("compression") or None) for r in pkg["resources"]]
        assert got == [("XLSX", None), ("JSON", None), ("CSV", "ZIP"), ("XML", None)], "a chosen format stays"

    def test_an_uploaded_csv(self, app, editor):
        pkg = _as(editor, "package_create", **passport(owner_org=editor["org"]["id"]))
        res = _upload(app, editor, pkg["id"], name="Відвідуваність.csv")
        assert res["format"] == "CSV"
        rows = {r.key: r for r in helpers.lutsk_passport_rows(call_action("package_show", id=pkg["id"]))}
        assert "CSV" in rows["formats"].plain()


class TestDataUpdatedOnlyOnData:
    """Passport element 9 and dct:modified move with new data only (issue 14)."""

    OLD = "2024-02-01T10:00:00"
    FIRST = "2024-01-15T10:00:00"

    @pytest.fixture
    def uploaded(self, app, editor):
        pkg = _as(editor, "package_create", **passport(owner_org=editor["org"]["id"]))
        res = _upload(app, editor, pkg["id"], name="budget.csv")
        # A known starting point (element 9 never precedes element 8).
        _as(editor, "package_patch", id=pkg["id"], date_published=self.FIRST, data_updated=self.OLD)
        assert call_action("package_show", id=pkg["id"])["data_updated"].startswith("2024-02-01")
        return pkg["id"], res["id"]

    def _updated(self, pkg_id: str) -> str:
        return call_action("package_show", id=pkg_id)["data_updated"]

    def test_edits_that_change_no_data_keep_it(self, editor, uploaded):
        pkg_id, res_id = uploaded
        _as(editor, "package_patch", **call_action("package_show", id=pkg_id))
        assert self._updated(pkg_id).startswith("2024-02-01"), "package_patch with package_show's dict"
        _as(editor, "package_patch", id=pkg_id, title="Нова назва")
        assert self._updated(pkg_id).startswith("2024-02-01"), "a title-only patch"
        _as(editor, "package_patch", id=pkg_id, notes="Лише новий опис.")
        assert self._updated(pkg_id).startswith("2024-02-01"), "a description-only patch"
        _as(editor, "resource_patch", id=res_id, name="Перейменований файл")
        assert self._updated(pkg_id).startswith("2024-02-01"), "a resource rename"
        _as(editor, "package_update", **call_action("package_show", id=pkg_id))
        assert self._updated(pkg_id).startswith("2024-02-01"), "package_update with package_show's dict"
        _as(editor, "resource_delete", id=res_id)
        assert self._updated(pkg_id).startswith("2024-02-01"), "a file removed (the link stays): no new data"

    def test_a_new_file_moves_it(self, app, editor, uploaded):
        pkg_id, res_id = uploaded
        resp = app.post(
            "/api/3/action/resource_patch",
            data={"id": res_id, "upload": (io.BytesIO(b"a,b\n1,3\n"), "budget.csv")},
            headers={"Authorization": editor["user"]["token"]},
        )
        assert resp.json["success"]
        assert self._updated(pkg_id)[:10] == dt.datetime.utcnow().date().isoformat(), "same name, new content"

    def test_a_changed_link_moves_it_and_dct_modified_follows(self, app, editor):
        pkg = _as(
            editor,
            "package_create",
            **passport(owner_org=editor["org"]["id"], date_published=self.FIRST, data_updated=self.OLD),
        )
        res = pkg["resources"][0]
        _as(editor, "resource_patch", id=res["id"], name="Лише назва")
        assert self._updated(pkg["id"]).startswith("2024-02-01")
        assert "2024-02-01" in app.get(f"/dataset/{pkg['name']}.ttl").body
        _as(editor, "resource_patch", id=res["id"], url="https://lutskrada.gov.ua/opendata/budget-2.csv")
        today = dt.datetime.utcnow().date().isoformat()
        assert self._updated(pkg["id"])[:10] == today
        ttl = app.get(f"/dataset/{pkg['name']}.ttl").body
        assert f'dct:modified "{today}' in ttl


def test_timeliness_shows_today_from_the_index_without_any_history(app, editor):
    """/lutsk/timeliness at once, before the first daily snapshot (issue 14)."""
    today = workdays.kyiv_today().isoformat()
    for n, changed in enumerate((None, _days_ago(30))):
        old = "2024-03-01T09:00:00"
        extra = {"data_changed": changed, "date_published": old, "data_updated": old} if changed else {}
        _as(editor, "package_create", **passport(owner_org=editor["org"]["id"], name=f"live-{n}", **extra))
    page = app.get("/lutsk/timeliness").body
    assert "завітайте завтра" not in page
    assert "Департамент фінансів та бюджету" in page
    assert "50" in page[page.index("lutsk-timeliness-totals") :][:400], "one of two on time today"
    assert "/dataset/live-0" in page, "recent updates"
    assert today[:4] in page


class TestDates:
    """CKAN's dates in the page's language (babel): «2 грудня 2026 р., 11:34»."""

    def test_ukrainian_and_english_pages(self, app, editor):
        pkg = _as(editor, "package_create", **passport(owner_org=editor["org"]["id"]))
        stamp = dt.datetime.fromisoformat(call_action("package_show", id=pkg["id"])["data_updated"])
        kyiv = workdays.to_kyiv_date(stamp.replace(tzinfo=dt.timezone.utc))  # noqa: UP017
        from babel.dates import format_date

        uk = app.get("/lutsk/timeliness").body  # the recent updates: h.render_datetime
        assert format_date(kyiv, "d MMMM y", locale="uk") + " р.," in uk
        assert "(+0200)" not in uk and "(+0300)" not in uk
        en = app.get("/en/lutsk/timeliness").body
        assert format_date(kyiv, "MMMM d, y", locale="en") + "," in en

    @pytest.mark.usefixtures("with_request_context")
    def test_the_helper_with_hours(self):
        from ckanext.lutsk.helpers.dates import format_datetime_for

        moment = dt.datetime(2026, 12, 2, 11, 34)
        assert format_datetime_for(moment, "uk", with_hours=True) == "2 грудня 2026 р., 11:34"
        assert format_datetime_for(moment, "en", with_hours=True) == "December 2, 2026, 11:34"


@pytest.mark.usefixtures("with_request_context")
def test_late_since_a_day_off_names_the_deadline_not_zero_days():
    from ckanext.lutsk.deadlines import report
    from ckanext.lutsk.domain import deadlines

    st = deadlines.DeadlineStatus(deadlines.OVERDUE_CHANGE, dt.date(2026, 12, 4), 0, deadlines.REASON_CHANGE)
    assert report.days_text(st) == "строк сплив 04.12.2026"


def test_after_login_an_editor_lands_on_the_body_deadlines(app, editor):
    """ckan.auth.route_after_login: not an empty «Мої набори даних»."""
    assert tk.config.get("ckan.auth.route_after_login") == "lutsk_deadlines.start"
    env = ckan_compat.browser_login(app, editor["user"])
    resp = app.get("/user/me", extra_environ=env, follow_redirects=False)
    assert resp.headers["Location"].endswith("/lutsk/start")
    resp = app.get("/lutsk/start", extra_environ=env, follow_redirects=False)
    assert resp.headers["Location"].endswith("/organization/finance-budget/deadlines")
    outsider = factories.User()
    as_outsider = ckan_compat.browser_login(app, outsider)
    resp = app.get("/lutsk/start", extra_environ=as_outsider, follow_redirects=False)
    assert resp.headers["Location"].endswith("/dashboard/datasets")


def test_element_9_never_precedes_element_8(editor):
    """Filled in while private (element 9 set by the data), published later."""
    pkg = _as(editor, "package_create", **passport(owner_org=editor["org"]["id"], private=True))
    early = "2024-01-10T09:00:00"
    _as(editor, "package_patch", id=pkg["id"], data_updated=early)
    pkg = _as(editor, "package_patch", id=pkg["id"], private=False)
    assert pkg["data_updated"] >= pkg["date_published"]
    assert pkg["data_updated"] == pkg["date_published"]


def test_behind_list_says_publishing_is_off_rather_than_missing(app, editor):
    from ckanext.lutsk import config

    assert not config.publishing_configured()
    ict_org = body_org("ict")
    ict = factories.User()
    call_action(
        "organization_member_create",
        context={"ignore_auth": True},
        id=ict_org["id"],
        username=ict["name"],
        role="editor",
    )
    _as(editor, "package_create", **passport(owner_org=editor["org"]["id"]))
    page = app.get("/lutsk/datagovua/behind", extra_environ=ckan_compat.browser_login(app, ict)).body
    assert "Оприлюднення на data.gov.ua на цьому порталі не налаштовано" in page
    assert "Відсутній на data.gov.ua" not in page


def test_enter_in_the_edit_form_saves_and_never_unpublishes(app, editor):
    """A form's default button (Enter in any field) is its first submit button: «Update»,
    never CKAN 2.12's «Unpublish» (which puts the dataset back to a draft)."""
    import re

    pkg = _as(editor, "package_create", **passport(owner_org=editor["org"]["id"]))
    session = ckan_compat.browser_login(app, editor["user"])
    page = app.get(f"/dataset/edit/{pkg['name']}", extra_environ=session).body
    form = page[page.index('id="dataset-edit"') :]
    buttons = re.findall(r"<button[^>]*>", form[: form.index("</form>")])
    submits = [b for b in buttons if 'type="submit"' in b]
    assert 'name="save"' in submits[0] and "value=" not in submits[0], submits
    if ckan_compat.CKAN_2_12:
        assert any('value="go-metadata-unpublish"' in b for b in submits[1:]), "still offered, after «Update»"
        assert "Зняти з оприлюднення" in form
