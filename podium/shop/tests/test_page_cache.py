"""The shared page cache: one rendering for visitors with nothing personal, a CSRF token
of their own each, and never a shared page for anyone with a session."""

import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from podium.shop import page_cache
from podium.tenancy.middleware import _clusters_by_host

from .test_agenda_views import _show

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def cached(settings):
    settings.PODIUM_PAGE_CACHE_SECONDS = 30
    settings.PODIUM_CLUSTER_CACHE_SECONDS = 30
    _clusters_by_host.clear()
    page_cache._local.clear()
    yield
    _clusters_by_host.clear()  # this test's clusters and pages are gone after it
    page_cache._local.clear()


@pytest.fixture
def show(house):
    return _show(house, {"nl": "De Storm", "en": "The Tempest"}, prices=("25.00",))


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_visitor_gets_the_stored_page_without_queries(cached, show):
    first, queried = _queries(Client(), "/agenda/")
    second, again = _queries(Client(), "/agenda/")
    assert queried > 3
    assert again == 0
    assert "De Storm" in second.content.decode()
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub(
        "", second.content.decode()
    )


def test_each_visitor_gets_a_csrf_token_that_works_for_them(cached, show):
    Client().get("/agenda/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/agenda/")
    tokens = TOKEN.findall(page.content.decode())
    assert tokens and "__podium" not in page.content.decode()
    assert "csrftoken" in page.cookies
    answer = visitor.post(
        "/i18n/setlang/",
        {"language": "fr", "next": "/agenda/", "csrfmiddlewaretoken": tokens[0]},
    )
    assert answer.status_code == 302  # the token matched this visitor's cookie
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/agenda/")
    refused = stranger.post(
        "/i18n/setlang/",
        {"language": "fr", "csrfmiddlewaretoken": "x" * 64},
    )
    assert refused.status_code == 403


def test_languages_are_stored_apart(cached, show):
    dutch = Client().get("/agenda/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    english = Client().get("/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="nl"' in dutch and 'lang="en"' in english


def test_a_visitor_with_a_session_gets_a_page_of_their_own(cached, show, house):
    Client().get("/agenda/")
    _show(house, {"nl": "Nieuw erbij"})
    anonymous = Client().get("/agenda/").content.decode()
    assert "Nieuw erbij" not in anonymous  # still the stored page
    known = Client()
    known.cookies["sessionid"] = "something"
    assert "Nieuw erbij" in known.get("/agenda/").content.decode()


def test_switched_off_every_visitor_gets_a_fresh_page(settings, show, house):
    settings.PODIUM_PAGE_CACHE_SECONDS = 0
    Client().get("/agenda/")
    _show(house, {"nl": "Nieuw erbij"})
    assert "Nieuw erbij" in Client().get("/agenda/").content.decode()


def test_the_production_page_is_shared_too(cached, show, house):
    url = f"/{house.slug}/{show.production.slug}/"
    _first, queried = _queries(Client(), url)
    second, again = _queries(Client(), url)
    assert queried > 3 and again == 0
    assert "De Storm" in second.content.decode()


def test_a_worker_keeps_a_fetched_page_a_second_without_asking_redis(
    cached, show, monkeypatch
):
    Client().get("/agenda/")
    asked = []
    real_get = page_cache.cache.get
    monkeypatch.setattr(
        page_cache.cache, "get", lambda key: asked.append(key) or real_get(key)
    )
    Client().get("/agenda/")
    assert asked == []
    clock = time.monotonic() + 2
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    Client().get("/agenda/")
    assert len(asked) == 1
