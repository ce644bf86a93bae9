"""The embeddable widget: a house's agenda and a production's ticket button, framable
by any site; every other shop page still refuses to be framed."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory
from podium.core.security import parse_policy
from podium.sales.tests.factories import on_sale_performance

pytestmark = pytest.mark.django_db


@pytest.fixture
def show(house):
    house.brand_colour = "#005a9c"
    house.save()
    performance, _tariff, _quota = on_sale_performance(house)
    return performance


def agenda_url(house) -> str:
    return reverse("shop:widget-agenda", args=[house.slug])


def test_the_agenda_widget_lists_coming_shows_in_the_house_colours(client, house, show):
    PerformanceFactory(house=house, visibility=Performance.Visibility.HIDDEN)

    response = client.get(agenda_url(house))

    html = response.content.decode()
    assert response.status_code == 200
    assert "--brand: #005a9c" in html
    assert html.count('target="_blank" rel="noopener"') == 2  # the show and the shop
    assert f'href="{reverse("shop:performance", args=[show.pk])}"' in html
    assert show.production.title["nl"] in html


@pytest.mark.parametrize("by", ["pk", "slug"])
def test_the_button_widget_names_the_production_and_its_dates(client, house, show, by):
    key = getattr(show.production, by)

    response = client.get(reverse("shop:widget-button", args=[house.slug, key]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="tickets"' in html
    assert f'href="{reverse("shop:performance", args=[show.pk])}"' in html


@pytest.mark.parametrize("name", ["widget-agenda", "widget-button"])
def test_the_widgets_may_be_framed_by_any_site(client, house, show, name):
    args = [house.slug] + ([show.production.pk] if name == "widget-button" else [])

    response = client.get(reverse(f"shop:{name}", args=args))

    policy = parse_policy(response.headers["Content-Security-Policy"])
    assert "X-Frame-Options" not in response.headers
    assert policy["frame-ancestors"] == ["*"]
    assert policy["script-src"] == ["'self'"]  # the rest of the policy still holds


@pytest.mark.parametrize(
    "url",
    [
        lambda house, show: reverse("shop:home"),
        lambda house, show: reverse("shop:performance", args=[show.pk]),
        lambda house, show: reverse("shop:checkout", args=[house.slug]),
    ],
)
def test_other_shop_pages_still_refuse_framing(client, house, show, url):
    response = client.get(url(house, show))

    policy = parse_policy(response.headers["Content-Security-Policy"])
    assert response.headers["X-Frame-Options"] == "DENY"
    assert policy["frame-ancestors"] == ["'none'"]


def test_an_unknown_house_or_production_is_not_found(client, house, other_house, show):
    unknown_house = client.get(reverse("shop:widget-agenda", args=["nergens"]))
    foreign = client.get(
        reverse("shop:widget-button", args=[other_house.slug, show.production.pk])
    )

    assert (unknown_house.status_code, foreign.status_code) == (404, 404)
    assert parse_policy(foreign.headers["Content-Security-Policy"])[
        "frame-ancestors"
    ] == ["'none'"]


def test_the_embed_script_checks_the_origin_of_messages():
    with open(finders.find("shop/widget.js")) as script:
        source = script.read()

    assert "event.origin !== origin" in source
    assert "frame.title" in source
