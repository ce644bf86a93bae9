"""Picked seats and hidden tariffs (only with a promo code): the public tariff of a
seat's category is taken unless the basket's code unlocks the hidden one."""

from decimal import Decimal

from podium.sales.models import Order, Tariff
from podium.sales.promo import basket_apply_code
from podium.sales.promo_configuration import promo_code_create
from podium.sales.services.baskets import basket_create
from podium.sales.tests.factories import TariffFactory
from podium.seating.services import basket_add_seats

from .test_seat_sales import seat_ids, seated  # noqa: F401 (fixture)


def _hidden(tariff) -> Tariff:
    return TariffFactory(
        category=tariff.category,
        kind=tariff.kind,
        price=Decimal("5.00"),
        requires_code=True,
        position=0,  # listed first: must still not be taken by chance
    )


def _pick(house, performance, basket, label="A1"):
    [hold] = basket_add_seats(
        house=house,
        actor=None,
        basket=basket,
        performance=performance,
        seat_ids=seat_ids(performance, label),
        kind=Tariff.Kind.FULL,
    )
    return hold


def test_the_desk_sells_a_picked_seat_at_the_public_tariff(scoped, house, seated):  # noqa: F811
    performance, tariff, _cheap, _quota = seated
    _hidden(tariff)
    basket = basket_create(house=house, channel=Order.Channel.BOX_OFFICE)

    assert _pick(house, performance, basket).tariff == tariff


def test_online_the_public_tariff_unless_a_code_unlocks_the_hidden_one(
    scoped,
    house,
    seated,  # noqa: F811
):
    performance, tariff, _cheap, _quota = seated
    hidden = _hidden(tariff)
    assert _pick(house, performance, basket_create(house=house)).tariff == tariff

    promo_code_create(
        house=house, actor=None, code="VRIENDEN", kind="unlock", tariffs=[hidden]
    )
    with_code = basket_create(house=house)
    basket_apply_code(house=house, actor=None, basket=with_code, code="vrienden")
    with_code.refresh_from_db()  # as the next request reads it

    assert _pick(house, performance, with_code, "A2").tariff == hidden
