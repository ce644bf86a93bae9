"""Shop pages ship under 100 KB of JavaScript and CSS together (R31, mobile first):
the files each rendered page references under /static/, read from the finders."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from podium.sales.tests.factories import on_sale_performance
from podium.seating.services import performance_seating_setup
from podium.seating.tests.test_seat_sales import small_plan

pytestmark = pytest.mark.django_db

BUDGET = 100 * 1024


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.paths.append(attrs["src"])
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.paths.append(attrs["href"])


def page_weight(html: str) -> tuple[int, list[str]]:
    parser = _Assets()
    parser.feed(html)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    files = [path for path in parser.paths if path.startswith(prefix)]
    assert len(files) == len(parser.paths), "only our own static files"
    total = 0
    for path in files:
        found = finders.find(path.removeprefix(prefix).split("?")[0])
        assert found, path
        with open(found, "rb") as asset:
            total += len(asset.read())
    return total, files


@pytest.fixture
def pages(client, house, scoped):
    general, tariff, _quota = on_sale_performance(house, price=Decimal("10.00"))
    seated, _t, _q = on_sale_performance(house)
    performance_seating_setup(
        house=house,
        actor=None,
        performance=seated,
        plan=small_plan(seated.hall),
        zones={1: _t.category, 2: _t.category},
    )
    client.post(
        reverse("shop:performance", args=[general.pk]),
        {"action": "tickets", f"tariff_{tariff.pk}": "2"},
    )
    return {
        "home": reverse("shop:home"),
        "performance": reverse("shop:performance", args=[general.pk]),
        "seated performance": reverse("shop:performance", args=[seated.pk]),
        "checkout": reverse("shop:checkout", args=[house.slug]),
        "widget": reverse("shop:widget-agenda", args=[house.slug]),
    }


def test_every_shop_page_ships_under_100_kb_of_js_and_css(client, pages):
    weights = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        weights[name], files = page_weight(response.content.decode())
        assert files, name

    assert {name: w for name, w in weights.items() if w >= BUDGET} == {}
    assert weights["checkout"] > weights["home"]  # the countdown script counts
