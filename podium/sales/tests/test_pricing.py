from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from podium.catalog.tests.factories import PerformanceFactory, ProductionFactory
from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.sales.errors import SalesError
from podium.sales.models import SalesSettings, Tariff
from podium.sales.services.pricing import (
    order_fees,
    price_category_create,
    price_list,
    price_list_customize,
    sales_settings_get,
    split_vat,
    tariff_create,
    tariff_is_available,
    tariff_update,
)
from podium.sales.tests.factories import PriceCategoryFactory, TariffFactory

D = Decimal


@pytest.mark.parametrize(
    ("gross", "rate", "net", "vat"),
    [
        ("17.00", "6.00", "16.04", "0.96"),
        ("17.00", "21.00", "14.05", "2.95"),
        ("0.01", "6.00", "0.01", "0.00"),
        ("0.01", "21.00", "0.01", "0.00"),
        ("33.33", "6.00", "31.44", "1.89"),
        ("33.33", "21.00", "27.55", "5.78"),
        ("12.50", "21.00", "10.33", "2.17"),
        ("9.99", "0.00", "9.99", "0.00"),
        ("0.00", "21.00", "0.00", "0.00"),
    ],
)
def test_vat_split_of_awkward_amounts_adds_up(gross, rate, net, vat):
    result = split_vat(D(gross), D(rate))

    assert result == (D(net), D(vat))
    assert result[0] + result[1] == D(gross)


def test_vat_split_accepts_the_rate_as_stored_text():
    assert split_vat(D("20.00"), "6.00") == (D("18.87"), D("1.13"))


def _settings(per_ticket="0.00", per_order="0.00", rate="21.00"):
    return SalesSettings(
        fee_per_ticket=D(per_ticket), fee_per_order=D(per_order), fee_vat_rate=rate
    )


@pytest.mark.parametrize(
    ("per_ticket", "per_order", "prices", "expected"),
    [
        ("1.00", "0.00", ["20", "20", "20"], [("per_ticket", "3.00", "2.48", "0.52")]),
        ("0.00", "2.50", ["20", "20", "20"], [("per_order", "2.50", "2.07", "0.43")]),
        (
            "0.75",
            "1.50",
            ["15", "15"],
            [
                ("per_ticket", "1.50", "1.24", "0.26"),
                ("per_order", "1.50", "1.24", "0.26"),
            ],
        ),
        ("1.00", "2.50", ["0", "0", "0", "0"], []),  # free invitations carry no fee
        ("0.00", "0.00", ["20", "20", "20", "20"], []),
        ("1.00", "2.50", [], []),
        # two paid tickets and one invitation: the fee counts the paid ones only
        (
            "1.00",
            "2.50",
            ["20", "0", "20"],
            [
                ("per_ticket", "2.00", "1.65", "0.35"),
                ("per_order", "2.50", "2.07", "0.43"),
            ],
        ),
    ],
)
def test_service_fees_per_paid_ticket_and_per_order(
    per_ticket, per_order, prices, expected
):
    fees = order_fees(
        settings=_settings(per_ticket, per_order),
        ticket_prices=[D(price) for price in prices],
    )

    assert [(f.kind, f.amount, f.vat_rate, f.net, f.vat) for f in fees] == [
        (kind, D(amount), D("21.00"), D(net), D(vat))
        for kind, amount, net, vat in expected
    ]


def test_a_fee_line_unpacks_as_a_tuple():
    (fee,) = order_fees(settings=_settings("1.00", rate="6.00"), ticket_prices=[D("5")])
    kind, amount, rate, net, vat = fee

    assert (kind, amount, rate, net, vat) == (
        "per_ticket",
        D("1.00"),
        D("6.00"),
        D("0.94"),
        D("0.06"),
    )


def test_sales_settings_are_created_with_defaults_once(scoped):
    first = sales_settings_get(house=scoped)
    again = sales_settings_get(house=scoped)

    assert first.pk == again.pk
    assert (first.hold_minutes, first.payment_minutes, first.max_tickets_per_order) == (
        15,
        30,
        20,
    )
    assert SalesSettings.objects.filter(house=scoped).count() == 1


@pytest.fixture
def production(house):
    return ProductionFactory(house=house)


@pytest.fixture
def category(production):
    return PriceCategoryFactory(house=production.house, production=production)


def test_a_tariff_is_created_with_its_audit_entry(scoped, production, category):
    tariff = tariff_create(
        house=scoped,
        actor=None,
        production=production,
        category=category,
        price=D("18.5"),
        kind=Tariff.Kind.UNDER_26,
        vat_rate="6.00",
        max_per_order=4,
    )

    tariff.refresh_from_db()
    assert (tariff.price, tariff.kind, tariff.vat_rate, tariff.max_per_order) == (
        D("18.50"),
        "under_26",
        "6.00",
        4,
    )
    entry = AuditEntry.objects.get(action="podium.sales.tariff.created")
    assert entry.data == {"price": "18.50", "kind": "under_26", "vat_rate": "6.00"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"price": D("-0.01")}, "price"),
        ({"price": D("10"), "vat_rate": "12.00"}, "vat_rate"),
        (
            {
                "price": D("10"),
                "available_from": timezone.now(),
                "available_until": timezone.now() - timedelta(days=1),
            },
            None,
        ),
    ],
)
def test_an_invalid_tariff_is_refused_and_nothing_is_saved(
    scoped, production, category, fields, field
):
    with pytest.raises(SalesError) as error:
        tariff_create(
            house=scoped,
            actor=None,
            production=production,
            category=category,
            **fields,
        )

    assert error.value.code == "invalid"
    assert error.value.field == field
    assert not Tariff.objects.exists()


def test_a_tariff_needs_a_category_of_its_own_production(scoped, production):
    foreign = PriceCategoryFactory(
        house=scoped, production=ProductionFactory(house=scoped)
    )

    with pytest.raises(SalesError) as error:
        tariff_create(
            house=scoped,
            actor=None,
            production=production,
            category=foreign,
            price=D("10"),
        )

    assert (error.value.code, error.value.field) == ("invalid", "category")
    assert not Tariff.objects.exists()


def test_a_tariff_cannot_be_created_for_another_houses_production(scoped, other_house):
    foreign_category = PriceCategoryFactory(
        house=other_house, production=ProductionFactory(house=other_house)
    )

    with pytest.raises(SalesError):
        tariff_create(
            house=scoped,
            actor=None,
            production=foreign_category.production,
            category=foreign_category,
            price=D("10"),
        )
    with pytest.raises(SalesError):
        price_category_create(
            house=scoped,
            actor=None,
            production=foreign_category.production,
            name={"nl": "Balkon"},
        )


def test_tariff_update_changes_the_price_and_logs_before_and_after(scoped, category):
    tariff = TariffFactory(category=category, price=D("20.00"))

    tariff_update(house=scoped, actor=None, tariff=tariff, price=D("22"))

    assert Tariff.objects.get(pk=tariff.pk).price == D("22.00")
    entry = AuditEntry.objects.get(action="podium.sales.tariff.changed")
    assert entry.data == {"before": {"price": "20.00"}, "after": {"price": "22.00"}}


def test_tariff_update_refuses_a_negative_price_and_changes_nothing(scoped, category):
    tariff = TariffFactory(category=category, price=D("20.00"))

    with pytest.raises(SalesError):
        tariff_update(house=scoped, actor=None, tariff=tariff, price=D("-1"))

    assert Tariff.objects.get(pk=tariff.pk).price == D("20.00")


def test_tariff_update_of_another_house_is_refused(scoped, other_house):
    foreign = TariffFactory(
        category=PriceCategoryFactory(
            house=other_house, production=ProductionFactory(house=other_house)
        )
    )

    with pytest.raises(SalesError):
        tariff_update(house=scoped, actor=None, tariff=foreign, price=D("1"))


def test_price_list_is_the_productions_until_the_performance_customises_it(
    scoped, category
):
    full = TariffFactory(category=category, price=D("20.00"))
    reduced = TariffFactory(category=category, price=D("15.00"), kind="under_26")
    TariffFactory(category=category, price=D("5.00"), is_active=False)
    performance = PerformanceFactory(house=scoped, production=category.production)
    other = PerformanceFactory(house=scoped, production=category.production)

    assert [t.pk for t in price_list(performance=performance)] == [full.pk, reduced.pk]

    own = price_list_customize(house=scoped, actor=None, performance=performance)
    tariff_update(house=scoped, actor=None, tariff=own[0], price=D("25.00"))

    mine = price_list(performance=performance)
    assert [(t.performance_id, t.price) for t in mine] == [
        (performance.pk, D("25.00")),
        (performance.pk, D("15.00")),
    ]
    assert {t.pk for t in mine}.isdisjoint({full.pk, reduced.pk})
    # The production's list and the other performances are untouched.
    assert [(t.pk, t.price) for t in price_list(performance=other)] == [
        (full.pk, D("20.00")),
        (reduced.pk, D("15.00")),
    ]
    # Customising again copies nothing more (3 copies: the inactive one too).
    price_list_customize(house=scoped, actor=None, performance=performance)
    assert Tariff.objects.filter(performance=performance).count() == 3


def test_another_houses_performance_cannot_be_customised(scoped, other_house):
    foreign = PerformanceFactory(house=other_house)

    with pytest.raises(NotFound):
        price_list_customize(house=scoped, actor=None, performance=foreign)


NOW = timezone.now()


@pytest.mark.parametrize(
    ("fields", "channel", "expected"),
    [
        ({}, "web", (True, "")),
        ({"is_active": False}, "web", (False, "inactive")),
        ({"box_office_only": True}, "web", (False, "box_office_only")),
        ({"box_office_only": True}, "box_office", (True, "")),
        ({"available_from": NOW + timedelta(hours=1)}, "web", (False, "not_yet")),
        ({"available_from": NOW}, "web", (True, "")),
        ({"available_until": NOW}, "web", (False, "ended")),
        ({"available_until": NOW + timedelta(seconds=1)}, "web", (True, "")),
    ],
)
def test_tariff_availability_rules(fields, channel, expected):
    tariff = Tariff(price=D("10"), **fields)

    result = tariff_is_available(tariff=tariff, channel=channel, now=NOW)

    assert (result.available, result.reason) == expected
    assert bool(result.message) is (not expected[0])
