"""The short locale path: /uk/... answers with the Ukrainian page (CKAN itself: 404)."""

from __future__ import annotations

import pytest


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(
    ("path", "target"),
    [("/uk/", "/"), ("/uk/dataset/", "/dataset/"), ("/uk/dataset/?q=бюджет", "/dataset/?q=")],
)
def test_short_ukrainian_path_redirects(app, path, target):
    response = app.get(path, follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"].split("://", 1)[-1].split("/", 1)[-1].startswith(target.lstrip("/"))


@pytest.mark.usefixtures("with_plugins")
def test_bare_short_path_ends_on_the_home_page(app):
    response = app.get("/uk")  # Flask adds the slash, then the redirect above
    assert response.status_code == 200
    assert response.request.path == "/"


@pytest.mark.usefixtures("with_plugins")
def test_full_locale_path_still_works(app):
    assert app.get("/uk_UA/dataset/").status_code == 200
    assert app.get("/en/dataset/").status_code == 200
