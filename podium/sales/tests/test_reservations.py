"""Reservations: kept without payment until a set moment, then sold or let go."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from podium.sales.errors import SalesError
from podium.sales.models import Hold, Quota
from podium.sales.services.baskets import basket_add
from podium.sales.services.desk import desk_sale
from podium.sales.services.inventory import release_expired_holds
from podium.sales.services.reservations import (
    reservation_create,
    reservation_list,
    reservation_release,
)
from podium.sales.tests.factories import on_sale_performance
from podium.tenancy.models import StaffRole


@pytest.fixture
def clerk(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING)


@pytest.fixture
def reserved(scoped, clerk, house):
    performance, tariff, quota = on_sale_performance(house, size=10)
    until = timezone.now() + timedelta(days=2)
    basket = reservation_create(
        house=scoped,
        actor=clerk,
        performance=performance,
        reserved_for="Mevrouw Janssens",
        contact="0470 12 34 56",
        until=until,
    )
    basket_add(
        house=scoped,
        actor=clerk,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=3,
    )
    return basket, quota, until


def test_a_reservation_holds_its_places_until_its_deadline(scoped, reserved):
    basket, quota, until = reserved

    hold = Hold.objects.get(basket=basket)
    assert hold.expires_at == until  # not the 15 minutes of a web basket
    assert Quota.objects.get(pk=quota.pk).used == 3
    assert list(reservation_list(house=scoped)) == [basket]
    with time_machine.travel(until - timedelta(minutes=1)):
        assert release_expired_holds() == 0


def test_an_expired_reservation_gives_its_places_back_by_itself(scoped, reserved):
    basket, quota, until = reserved

    with time_machine.travel(until + timedelta(minutes=1)):
        assert release_expired_holds() == 1
        assert list(reservation_list(house=scoped)) == []

    assert Quota.objects.get(pk=quota.pk).used == 0


def test_a_reservation_is_sold_at_the_desk(scoped, clerk, reserved):
    basket, quota, _until = reserved

    sale = desk_sale(
        house=scoped,
        actor=clerk,
        basket=basket,
        provider="card_terminal",
        buyer_name=basket.reserved_for,
    )

    assert (sale.order.state, sale.order.tickets.count()) == ("paid", 3)
    assert sale.order.buyer_name == "Mevrouw Janssens"
    assert list(reservation_list(house=scoped)) == []
    assert Quota.objects.get(pk=quota.pk).used == 3


def test_releasing_a_reservation_frees_its_places(scoped, clerk, reserved):
    basket, quota, _until = reserved

    assert reservation_release(house=scoped, actor=clerk, basket=basket) == 1

    assert Quota.objects.get(pk=quota.pk).used == 0
    assert list(reservation_list(house=scoped)) == []


@pytest.mark.parametrize(
    ("who", "until", "message"),
    [
        ("", timedelta(days=1), "For whom"),
        ("Jan", timedelta(minutes=-1), "still to come"),
        ("Jan", timedelta(days=11), "before the performance starts"),
    ],
)
def test_bad_reservations_are_refused(scoped, clerk, house, who, until, message):
    performance, _tariff, _quota = on_sale_performance(house)
    performance.starts_at = timezone.now() + timedelta(days=10)
    performance.ends_at = performance.starts_at + timedelta(hours=2)
    performance.save()

    with pytest.raises(SalesError, match=message):
        reservation_create(
            house=scoped,
            actor=clerk,
            performance=performance,
            reserved_for=who,
            contact="",
            until=timezone.now() + until,
        )
