"""The public face of the portal: the city's home page and About page (not CKAN's
placeholders), in Ukrainian and English, with the city's own images and nothing from
another origin."""

from __future__ import annotations

import re
from datetime import timedelta

import ckan.plugins.toolkit as tk
import pytest

from ckanext.lutsk.domain import workdays
from tests.lutsk_factories import body_org, dataset

T = workdays.kyiv_today()


def _dt(d) -> str:
    return f"{d.isoformat()}T10:00:00"


@pytest.fixture(scope="module")
def world(fresh_portal):
    finance, education = body_org("finance-budget"), body_org("education")
    dataset(owner_org=finance["id"], name="home-first", title="Перший набір")
    dataset(owner_org=education["id"], name="home-second", title="Другий набір")
    # Late: monthly, last updated 100 days ago.
    dataset(
        owner_org=finance["id"],
        name="home-late",
        title="Прострочений набір",
        date_published=_dt(T - timedelta(days=400)),
        data_updated=_dt(T - timedelta(days=100)),
    )
    dataset(owner_org=finance["id"], name="home-private", title="Закритий набір", private=True)
    return {"finance": finance, "education": education}


PLACEHOLDERS = (
    "Welcome to CKAN",
    "Вітаємо у CKAN",
    "introductory paragraph",
    "вступний абзац",
    "placeholder-420x220",
    "ckan-logo",
    "This is a featured section",
)


def _no_foreign(body: str) -> None:
    for placeholder in PLACEHOLDERS:
        assert placeholder not in body, placeholder
    # Nothing loaded from another origin (scripts, styles, images, icons).
    # The portal's own absolute links (the catalogue's RDF alternates) are not another origin.
    own = tk.config.get("ckan.site_url").rstrip("/") + "/"
    for attr in re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', body):
        assert attr.startswith(own) or not re.match(r"(https?:)?//", attr), attr


@pytest.mark.usefixtures("with_plugins")
class TestHome:
    def test_the_city_home_page(self, app, world):
        body = app.get("/").body
        _no_foreign(body)
        assert "Відкриті дані Луцької міської ради" in body
        assert "розпорядження міського голови" in body or "розпорядженням міського голови" in body
        assert 'name="q"' in body and 'action="/dataset/"' in body, "a search form"
        assert "/lutsk/logo.svg" in body
        assert 'href="/lutsk/timeliness"' in body
        # The bodies with their pages and public dataset counts.
        assert 'href="/organization/finance-budget"' in body
        assert 'href="/organization/education"' in body
        # The newest datasets, public only.
        newest = body.split("lutsk-home-newest", 1)[1].split("</section>", 1)[0]
        assert "Перший набір" in newest and "Другий набір" in newest
        assert "Закритий набір" not in body
        # On-time share: 2 of 3 public datasets.
        assert "67&nbsp;%" in body
        assert "2 з 3" in body

    def test_most_viewed_falls_back_to_recently_updated_without_tracking(self, app, world):
        body = app.get("/").body
        assert "Нещодавно оновлені набори даних" in body

    def test_home_page_in_english(self, app, world):
        body = app.get("/en/").body
        _no_foreign(body)
        assert "Open data of Lutsk City Council" in body
        assert "Newest datasets" in body
        assert "Updated on time" in body

    def test_about_says_who_runs_the_portal_and_how_to_ask(self, app, world):
        body = app.get("/about").body
        _no_foreign(body)
        assert "управління інформаційно-комунікаційних технологій луцької міської ради" in body.lower()
        assert "Як отримати дані" in body
        assert "запит на інформацію" in body
        en = app.get("/en/about").body
        assert "Directorate of Information and Communication Technologies" in en
        assert "How to ask for data" in en

    def test_no_ckan_logo_or_icon(self, app, world):
        body = app.get("/dataset/").body
        assert "ckan-logo" not in body and "ckan.ico" not in body
        assert "ckan-footer-logo" not in body, "CKAN's logo in the footer"
        assert "/lutsk/favicon.svg" in body
        assert app.get("/lutsk/logo.svg").status_code == 200


# --------------------------------------------------------------------------- language


@pytest.fixture(scope="module")
def users(world):
    from tests.lutsk_factories import staff

    return staff(editor=(world["finance"], "editor"), other=(world["education"], "editor"), sysadmin=True)


def _as(user) -> dict[str, str]:
    return {"Authorization": user["token"]}


@pytest.mark.usefixtures("with_plugins")
class TestUkrainianEverywhere:
    def test_login_form(self, app, world):
        body = app.get("/user/login").body
        assert "Username or Email" not in body
        assert "Ім’я користувача або e-mail" in body

    def test_activity_stream(self, app, world, users):
        from ckan.tests.helpers import call_action

        call_action(
            "package_patch",
            context={"user": users["editor"]["name"]},
            id="home-first",
            notes="Новий опис набору.",
        )
        body = app.get("/dataset/activity/home-first", headers=_as(users["editor"])).body
        for english in ("updated the", "View this version", "Changed Package", "New Package", "created the"):
            assert english not in body, english
        assert "оновлено" in body and "Переглянути цю версію" in body
        assert "Змінено набір даних" in body, "the activity-type filter in Ukrainian"

    def test_follow_button(self, app, world, users):
        body = app.get("/dataset/home-first", headers=_as(users["editor"])).body
        assert "> Follow<" not in body and "Follow</a>" not in body
        assert "Стежити" in body

    def test_api_tokens_page(self, app, world, users):
        name = users["editor"]["name"]
        body = app.get(f"/user/{name}/api-tokens", headers=_as(users["editor"])).body
        for english in ("Last access", "Revoke", "haven't created"):
            assert english not in body, english

    def test_resource_page_shows_no_internal_keys(self, app, world):
        from ckan.tests.helpers import call_action

        pkg = call_action("package_show", id="home-first")
        body = app.get(f"/dataset/home-first/resource/{pkg['resources'][0]['id']}").body
        for raw in ("Has views", "Url type", "Package id", "Position", "State"):
            assert f">{raw}<" not in body, raw
        row = body.split("Це структура набору даних", 1)[1].split("</tr>", 1)[0]
        assert "Ні" in row and "No" not in row

    def test_dataset_form_footer(self, app, world, users):
        body = app.get("/dataset/new", headers=_as(users["editor"])).body
        assert "Open Database License" not in body
        assert "з посиланням на джерело" in body

    def test_reorder_help_in_the_javascript_catalogue(self, app, world):
        # `ckan run` builds the JavaScript catalogues at start-up, ours merged over CKAN's.
        from ckan.lib.i18n import build_js_translations

        build_js_translations()
        js = app.get("/api/i18n/uk_UA").json
        assert js.get("You can rearrange the resources by dragging them using the arrow icon. Drag the "
                      "resource to the right and place it to the desired location on the list. When you "
                      "are done, click the \"Save order\" -button.")


# --------------------------------------------------------------------------- errors


@pytest.mark.usefixtures("with_plugins")
class TestErrorPages:
    def test_not_found(self, app, world):
        resp = app.get("/dataset/no-such-dataset", status=404)
        body = resp.body
        assert "Not Found" not in body and "404 Not Found" not in body
        assert "Сторінку не знайдено" in body
        assert 'href="/dataset/"' in body and 'href="/"' in body, "a way back: search, home"

    def test_refused_edit_names_the_dataset_by_title(self, app, world, users):
        body = app.get("/dataset/edit/home-first", headers=_as(users["other"]), status=403).body
        assert "Forbidden" not in body
        assert "Доступ заборонено" in body
        refusal = body.split('class="lutsk-error-dataset"', 1)[1].split("</p>", 1)[0]
        assert '<a href="/dataset/home-first">Перший набір</a>' in refusal
        assert "home-first<" not in refusal and "not authorized" not in body

    def test_a_private_dataset_is_not_named_to_outsiders(self, app, world, users):
        resp = app.get("/dataset/edit/home-private", headers=_as(users["other"]))
        assert resp.status_code in (403, 404)
        body = resp.body
        assert "Закритий набір" not in body
        assert "Доступ заборонено" in body or "Сторінку не знайдено" in body

    def test_internal_error_text(self, app, world):
        from ckanext.lutsk.helpers.errors import lutsk_error_page

        with app.flask_app.test_request_context("/"):
            page = lutsk_error_page([500], "Internal server error")
        assert page["title"] == "Внутрішня помилка сервера"
        assert page["detail"] == "", "the English stock text is not repeated"


# --------------------------------------------------------------------------- accessibility


@pytest.mark.usefixtures("with_plugins")
class TestAccessibleForms:
    def test_a_field_in_error_points_at_its_message(self, app, world, users):
        from tests.lutsk_factories import passport

        data = passport(name="a11y-form", owner_org=world["finance"]["id"], maintainer_email="olena.koval@")
        data.pop("resources")
        data["save"] = ""
        data["_ckan_phase"] = "dataset_new_1"
        body = app.post("/dataset/new", data=data, headers=_as(users["editor"])).body
        assert (
            'id="field-maintainer_email" aria-invalid="true" aria-describedby="field-maintainer_email-error"'
            in body
        )
        message = body.split('id="field-maintainer_email-error"', 1)[1].split("</span>", 1)[0]
        assert "olena.koval@" in message
        assert body.count('aria-invalid="true"') == 1, "only the field in error"

    def test_facet_labels_are_whole(self, app, world):
        body = app.get("/dataset/").body
        assert "Прострочено: не..." not in body and "Прострочено: зміни..." not in body
        assert 'class="item-label facet-label-full"' in body


@pytest.mark.usefixtures("with_plugins")
class TestOrganizationTabs:
    def test_members_tab_only_for_those_who_may_see_members(self, app, world, users):
        body = app.get("/organization/finance-budget").body
        assert 'href="/organization/members/finance-budget"' not in body, "it answered 403"
        assert 'href="/about"' in body and "Про портал" in body, "the site's About, named as the portal's"
        staff = app.get("/organization/finance-budget", headers=_as(users["sysadmin"])).body
        assert 'href="/organization/members/finance-budget"' in staff
