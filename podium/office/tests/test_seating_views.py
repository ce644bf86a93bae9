"""The office's seat screens: selling a performance by seat, the plan, blocking seats."""

import json

import pytest
from django.urls import reverse

from podium.sales.tests.factories import PriceCategoryFactory, on_sale_performance
from podium.seating.models import PerformanceSeat, PerformanceSeating
from podium.seating.tests.test_seat_sales import small_plan
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

Role = StaffRole.Role


@pytest.fixture
def show(house):
    with house_scope(house):
        performance, tariff, _quota = on_sale_performance(house)
        second = PriceCategoryFactory(
            house=house,
            production=performance.production,
            name={"nl": "Rang 2", "fr": "Rang 2", "en": "Rank 2"},
        )
        small_plan(performance.hall)
    return performance, tariff.category, second


@pytest.fixture
def ticketing(client, house, staff_factory):
    client.force_login(staff_factory(house, Role.TICKETING))


def _seats(performance):
    with house_scope(performance.house):
        return {
            f"{s.seat.row}{s.seat.number}": s
            for s in PerformanceSeat.objects.filter(
                performance=performance
            ).select_related("seat")
        }


def test_setting_up_sells_the_performance_by_seat(client, house, show, ticketing):
    performance, first, second = show
    url = reverse("office:performance-seats", args=[performance.pk])

    page = client.get(url).content.decode()
    assert "heeft 18 plaatsen" in page
    response = client.post(
        reverse("office:performance-seating-setup", args=[performance.pk]),
        {"zone_1": first.pk, "zone_2": second.pk},
    )

    assert response.status_code == 302 and response.url == url
    with house_scope(house):
        seating = PerformanceSeating.objects.get(performance=performance)
        assert dict(seating.zones.values_list("zone", "category")) == {
            1: first.pk,
            2: second.pk,
        }
    page = client.get(url).content.decode()
    assert page.count('role="checkbox"') == 18
    assert 'aria-label="Zaal, rij A, stoel 1, rang 1, 20 euro, vrij"' in page


def test_a_category_of_another_production_is_refused(client, house, show, ticketing):
    performance, first, _second = show
    with house_scope(house):
        foreign = PriceCategoryFactory(house=house)

    response = client.post(
        reverse("office:performance-seating-setup", args=[performance.pk]),
        {"zone_1": first.pk, "zone_2": foreign.pk},
    )

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    with house_scope(house):
        assert not PerformanceSeating.objects.exists()


def test_blocking_and_freeing_seats(client, house, show, ticketing):
    performance, first, second = show
    client.post(
        reverse("office:performance-seating-setup", args=[performance.pk]),
        {"zone_1": first.pk, "zone_2": second.pk},
    )
    seats = _seats(performance)
    change = reverse("office:performance-seats-change", args=[performance.pk])

    client.post(
        change,
        {"action": "block", "seat": [seats["C3"].pk, seats["C4"].pk], "note": "regie"},
    )

    states = json.loads(
        client.get(
            reverse("office:performance-seat-states", args=[performance.pk])
        ).content
    )["states"]
    assert (states[str(seats["C3"].pk)], states[str(seats["A1"].pk)]) == (
        "blocked",
        "free",
    )
    page = client.get(reverse("office:performance-seats", args=[performance.pk]))
    assert "2 plaatsen geblokkeerd." in page.content.decode()
    client.post(change, {"action": "unblock", "seat": [seats["C3"].pk]})
    assert _seats(performance)["C3"].state == "free"
    assert _seats(performance)["C4"].state == "blocked"


def test_a_seat_of_another_performance_is_refused(client, house, show, ticketing):
    performance, first, second = show
    client.post(
        reverse("office:performance-seating-setup", args=[performance.pk]),
        {"zone_1": first.pk, "zone_2": second.pk},
    )
    with house_scope(house):
        other, tariff, _quota = on_sale_performance(house)
        small_plan(other.hall)
    client.post(
        reverse("office:performance-seating-setup", args=[other.pk]),
        {"zone_1": tariff.category.pk, "zone_2": tariff.category.pk},
    )
    foreign_seat = _seats(other)["A1"]

    response = client.post(
        reverse("office:performance-seats-change", args=[performance.pk]),
        {"action": "block", "seat": [foreign_seat.pk]},
        follow=True,
    )

    assert "is geen beschikbare keuze" in response.content.decode()
    assert _seats(other)["A1"].state == "free"
