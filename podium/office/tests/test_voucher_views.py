"""The office's gift voucher screens (list, detail, desk sale, PDF) and paying a
desk sale with a voucher."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from podium.passes.models import GiftVoucher, VoucherUse
from podium.passes.tests.factories import voucher_active_make
from podium.passes.vouchers import voucher_buy
from podium.sales.models import Order, Quota
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def office(client, house, staff_factory):
    """Logged in with the ticketing role: sells and looks up vouchers."""
    client.force_login(staff_factory(house, StaffRole.Role.TICKETING, username="an"))
    return client


def _url(name, *args):
    return reverse(f"office:{name}", args=args)


def _dutch(message: str, **params) -> str:
    with translation.override("nl"):
        text = str(translation.gettext(message))
    return text % params if params else text


def _short_date(day) -> str:
    with translation.override("nl"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def _vouchers(house) -> list:
    with house_scope(house):
        return list(GiftVoucher.objects.filter(house=house).order_by("pk"))


def _orders(house) -> list:
    with house_scope(house):
        return list(Order.objects.filter(house=house).order_by("pk"))


def _reload(house, obj):
    with house_scope(house):
        obj.refresh_from_db()
    return obj


def _used(house) -> int:
    with house_scope(house):
        return sum(q.used for q in Quota.objects.filter(house=house))


# ------------------------------------------------------------ selling a voucher


def test_a_voucher_is_sold_at_the_desk_and_its_pdf_downloaded(
    office, house, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            _url("voucher-sell"),
            {
                "value": "25,00",
                "buyer_name": "Jan Janssens",
                "buyer_email": "jan@example.be",
                "recipient_name": "Lies",
                "message": "Veel plezier!",
                "provider": "cash",
            },
        )

    (voucher,) = _vouchers(house)
    assert response.url == _url("voucher-detail", voucher.pk)
    assert (voucher.state, voucher.value, voucher.balance, voucher.recipient_name) == (
        "active",
        D("25.00"),
        D("25.00"),
        "Lies",
    )
    with house_scope(house):
        order = Order.objects.get(pk=voucher.order_id)
        payments = list(order.payments.values_list("provider", "amount"))
    assert (order.state, order.channel) == ("paid", "box_office")
    assert payments == [("cash", D("25.00"))]
    detail = office.get(response.url).content.decode()
    assert voucher.code in detail
    assert _url("voucher-pdf", voucher.pk) in detail

    pdf = office.get(_url("voucher-pdf", voucher.pk))

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Dit veld is verplicht."),
        ("4.99", "Zorg ervoor dat deze waarde minstens 5.00 is."),
        ("500.01", "Zorg ervoor dat deze waarde hoogstens 500.00 is."),
        ("10.005", "Zorg dat er niet meer dan 2 cijfers achter de komma staan."),
    ],
)
def test_a_voucher_with_a_bad_value_is_not_sold(office, house, value, message):
    response = office.post(
        _url("voucher-sell"),
        {
            "value": value,
            "buyer_name": "Jan Janssens",
            "buyer_email": "jan@example.be",
            "provider": "cash",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["value"] == [message]
    assert _vouchers(house) == []
    assert _orders(house) == []


def test_the_pdf_and_page_of_another_houses_voucher_are_not_found(
    office, house, other_house
):
    with house_scope(other_house):
        foreign = voucher_active_make(other_house)

    for name in ("voucher-pdf", "voucher-detail"):
        assert office.get(_url(name, foreign.pk)).status_code == 404


def test_an_unpaid_voucher_has_no_pdf(office, house):
    with house_scope(house):
        pending = voucher_buy(
            house=house,
            actor=None,
            value="20",
            buyer_name="Jan Janssens",
            buyer_email="jan@example.be",
        )

    assert office.get(_url("voucher-pdf", pending.pk)).status_code == 404


def test_the_list_shows_the_outstanding_balance_and_finds_a_code(office, house):
    with house_scope(house):
        first = voucher_active_make(house, value="50.00")
        second = voucher_active_make(house, value="20.00", buyer_name="Els Wouters")
        expired = voucher_active_make(house, value="30.00")
        GiftVoucher.objects.filter(pk=first.pk).update(balance=D("12.50"))
        GiftVoucher.objects.filter(pk=expired.pk).update(
            expires_on=timezone.localdate() - timedelta(days=1)
        )
    url = _url("voucher-list")

    page = office.get(url)
    typed = office.get(url, {"q": second.code.replace("-", "").lower()})

    assert page.context["outstanding"] == D("32.50")
    assert "€ 32,50" in page.content.decode()
    assert {v.pk for v in page.context["vouchers"]} == {
        first.pk,
        second.pk,
        expired.pk,
    }
    assert [v.pk for v in typed.context["vouchers"]] == [second.pk]


# ------------------------------------------------- paying a desk sale with one


def _sell(office, sales, **data):
    return office.post(
        _url("desk-sale", sales.performance.pk),
        {f"tariff_{sales.tariff.pk}": "2", "provider": "cash", **data},
    )


def test_a_voucher_pays_part_of_a_desk_sale_and_cash_the_rest(office, house, sales):
    with house_scope(house):
        voucher = voucher_active_make(house, value="15.00")

    response = _sell(
        office, sales, voucher_code=voucher.code.lower(), cash_received="30"
    )

    order = _orders(house)[-1]
    assert response.url == _url("desk-receipt", order.code) + "?change=5.00"
    assert (order.state, order.total) == ("paid", D("40.00"))
    with house_scope(house):
        payments = sorted(order.payments.values_list("provider", "amount", "state"))
        (use,) = VoucherUse.objects.filter(order=order)
    assert payments == [("cash", D("25.00"), "paid"), ("voucher", D("15.00"), "paid")]
    assert use.amount == D("15.00")
    assert _reload(house, voucher).balance == D("0.00")
    detail = office.get(_url("voucher-detail", voucher.pk))
    assert [u.order.code for u in detail.context["uses"]] == [order.code]
    # The order's page names the voucher that paid part of it.
    assert voucher.code in office.get(_url("order-detail", order.code)).content.decode()


def test_a_voucher_that_covers_the_sale_needs_no_cash(office, house, sales):
    with house_scope(house):
        voucher = voucher_active_make(house, value="100.00")

    response = _sell(office, sales, voucher_code=voucher.code, provider="card_terminal")

    order = _orders(house)[-1]
    assert response.url == _url("desk-receipt", order.code)
    assert order.state == "paid"
    with house_scope(house):
        assert list(order.payments.values_list("provider", "amount")) == [
            ("voucher", D("40.00"))
        ]
    assert _reload(house, voucher).balance == D("60.00")


@pytest.mark.parametrize("problem", ["unknown", "expired", "used_up", "unpaid"])
def test_a_bad_voucher_is_a_dutch_form_error_and_nothing_is_kept(
    office, house, sales, problem
):
    today = timezone.localdate()
    with house_scope(house):
        voucher = voucher_active_make(house, value="20.00")
        if problem == "expired":
            GiftVoucher.objects.filter(pk=voucher.pk).update(
                expires_on=today - timedelta(days=1)
            )
        elif problem == "used_up":
            GiftVoucher.objects.filter(pk=voucher.pk).update(balance=D("0.00"))
        elif problem == "unpaid":
            voucher = voucher_buy(
                house=house,
                actor=None,
                value="20",
                buyer_name="Jan Janssens",
                buyer_email="jan@example.be",
            )
    _reload(house, voucher)
    code = "ABCD-EFGH-JKLM" if problem == "unknown" else voucher.code
    expected = {
        "unknown": _dutch(
            "This gift voucher code is not known. Check it and try again."
        ),
        "expired": _dutch(
            "This gift voucher expired on %(date)s.",
            date=_short_date(today - timedelta(days=1)),
        ),
        "used_up": _dutch("This gift voucher has been used up."),
        "unpaid": _dutch("This gift voucher has not been paid yet."),
    }[problem]
    used, orders = _used(house), _orders(house)

    response = _sell(office, sales, voucher_code=code)

    assert response.status_code == 200
    assert response.context["form"].errors["voucher_code"] == [expected]
    assert _used(house) == used  # the places are on sale again
    # The voucher is checked before an order is placed: no order at all.
    assert [o for o in _orders(house) if o not in orders] == []
    with house_scope(house):
        assert not VoucherUse.objects.filter(house=house).exists()
    assert _reload(house, voucher).balance == voucher.balance


def test_too_little_cash_after_the_voucher_gives_the_voucher_back(office, house, sales):
    with house_scope(house):
        voucher = voucher_active_make(house, value="15.00")

    response = _sell(office, sales, voucher_code=voucher.code, cash_received="20")

    assert response.status_code == 200
    assert response.context["form"].errors["cash_received"]
    order = _orders(house)[-1]
    assert order.state == "cancelled"
    with house_scope(house):
        (use,) = VoucherUse.objects.filter(order=order)
    assert use.given_back_at is not None
    assert _reload(house, voucher).balance == D("15.00")


def test_a_voucher_is_combined_with_cash_or_card_only(office, house, sales):
    with house_scope(house):
        voucher = voucher_active_make(house, value="15.00")
    orders = _orders(house)

    response = _sell(office, sales, voucher_code=voucher.code, provider="bank_transfer")

    assert response.status_code == 200
    assert "voucher_code" in response.context["form"].errors
    assert _orders(house) == orders
    assert _reload(house, voucher).balance == D("15.00")
