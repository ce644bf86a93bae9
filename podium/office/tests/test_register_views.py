"""The cash register pages: the day's report, another day, and closing one's drawer."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from podium.sales.models import Order, RegisterClosing
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.desk import desk_sale
from podium.sales.tests.factories import on_sale_performance
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

NOON = datetime(2026, 3, 28, 12, 0, tzinfo=ZoneInfo("Europe/Brussels"))
DAY = date(2026, 3, 28)
D = Decimal


@pytest.fixture(autouse=True)
def at_noon():
    with time_machine.travel(NOON, tick=True):
        yield


@pytest.fixture
def clerk(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING, username="an")


@pytest.fixture
def colleague(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING, username="bert")


def _sell(house, clerk, performance, tariff, quantity, provider):
    basket = basket_create(house=house, channel=Order.Channel.BOX_OFFICE)
    basket_add(
        house=house,
        actor=clerk,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
    )
    desk_sale(house=house, actor=clerk, basket=basket, provider=provider)


@pytest.fixture
def sold(house, clerk, colleague):
    """An sells 2 × 20.00 cash and 1 by card; Bert sells 3 × 20.00 cash."""
    performance, tariff, _quota = on_sale_performance(house)
    _sell(house, clerk, performance, tariff, 2, "cash")
    _sell(house, clerk, performance, tariff, 1, "card_terminal")
    _sell(house, colleague, performance, tariff, 3, "cash")


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_day_shows_my_sales_and_the_whole_house(client, clerk, sold):
    client.force_login(clerk)

    response = client.get(reverse("office:register-day"))

    assert response.status_code == 200
    assert response.context["day"] == DAY
    (_t1, mine, _c1), (_t2, whole, _c2) = response.context["sections"]
    assert (mine.cash.sales, mine.method("card_terminal").sales, mine.sales) == (
        D("40.00"),
        D("20.00"),
        D("60.00"),
    )
    assert (whole.cash.sales, whole.sales) == (D("100.00"), D("120.00"))
    content = response.content.decode()
    assert "€\xa060,00" in content and "€\xa0120,00" in content
    assert reverse("office:register-close") + "?day=2026-03-28" in content


def test_another_day_is_chosen_with_a_date(client, clerk, sold):
    client.force_login(clerk)

    response = client.get(reverse("office:register-day"), {"day": "2026-03-27"})

    assert response.context["day"] == date(2026, 3, 27)
    assert response.context["sections"][1][1].sales == D("0.00")
    assert _messages(response) == []


@pytest.mark.parametrize("bad", ["gisteren", "2026-02-30", "28/03/2026"])
def test_a_bad_day_says_so_and_shows_today(client, clerk, sold, bad):
    client.force_login(clerk)

    response = client.get(reverse("office:register-day"), {"day": bad})

    assert response.status_code == 200
    assert response.context["day"] == DAY
    assert _messages(response) == [
        f"“{bad}” is geen dag; gebruik JJJJ-MM-DD. We tonen vandaag."
    ]


def test_closing_form_shows_the_expected_cash(client, clerk, sold):
    client.force_login(clerk)

    response = client.get(reverse("office:register-close"))

    assert response.status_code == 200
    assert response.context["report"].expected_cash == D("40.00")
    assert "€\xa040,00" in response.content.decode()


def test_closing_with_a_difference_and_a_note(client, house, clerk, sold):
    client.force_login(clerk)

    response = client.post(
        reverse("office:register-close"),
        {"day": "2026-03-28", "counted_cash": "38.50", "note": "Te veel wisselgeld"},
    )

    assert response.url == reverse("office:register-day") + "?day=2026-03-28"
    with house_scope(house):
        closing = RegisterClosing.objects.get()
    assert (
        closing.user,
        closing.day,
        closing.counted_cash,
        closing.expected_cash,
        closing.difference,
        closing.note,
    ) == (clerk, DAY, D("38.50"), D("40.00"), D("-1.50"), "Te veel wisselgeld")
    page = client.get(response.url)
    assert _messages(page) == [
        "Kassa afgesloten: € 38,50 geteld, € 40,00 verwacht, verschil € -1,50."
    ]
    assert page.context["closings"] == [closing] and page.context["closed"]


def test_a_difference_without_a_note_is_refused_on_the_form(client, house, clerk, sold):
    client.force_login(clerk)

    response = client.post(reverse("office:register-close"), {"counted_cash": "41"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "note": ["Leg het verschil van 1.00 EUR uit in de opmerking."]
    }
    with house_scope(house):
        assert not RegisterClosing.objects.exists()


def test_a_second_closing_is_refused(client, house, clerk, sold):
    client.force_login(clerk)
    client.post(reverse("office:register-close"), {"counted_cash": "40"})

    response = client.post(
        reverse("office:register-close"), {"counted_cash": "50", "note": "Oeps"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Je hebt de kassa voor 2026-03-28 al afgesloten."
    ]
    with house_scope(house):
        assert list(RegisterClosing.objects.values_list("counted_cash", flat=True)) == [
            D("40.00")
        ]


def test_colleagues_see_each_others_closings(client, clerk, colleague, sold):
    client.force_login(colleague)
    client.post(reverse("office:register-close"), {"counted_cash": "60"})
    client.force_login(clerk)

    response = client.get(reverse("office:register-day"))

    assert [c.user for c in response.context["closings"]] == [colleague]
    assert not response.context["closed"]
    assert "bert" in response.content.decode()


def test_the_box_office_links_to_the_register(client, clerk):
    client.force_login(clerk)

    response = client.get(reverse("office:desk"))

    assert reverse("office:register-day") in response.content.decode()
