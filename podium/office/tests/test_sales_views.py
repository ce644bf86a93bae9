"""The office's sales screens: prices, quotas, orders and cancelling a performance."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory
from podium.sales.models import (
    Order,
    PerformanceCancellation,
    Quota,
    Refund,
    Tariff,
    Ticket,
)
from podium.sales.tests.factories import QuotaFactory
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

from .helpers import tariff_data

Role = StaffRole.Role


@pytest.fixture
def ticketing(client, house, staff_factory):
    user = staff_factory(house, Role.TICKETING)
    client.force_login(user)
    return user


def _dutch(message: str, **params) -> str:
    with translation.override("nl"):
        return gettext(message) % params


def test_a_created_tariff_is_in_the_price_list_with_its_conditions(
    client, world, sales, ticketing
):
    production = sales.performance.production
    data = tariff_data(
        sales.category, price="12.5", box_office_only="on", min_per_order="2"
    )

    response = client.post(reverse("office:tariff-create", args=[production.pk]), data)

    assert response.url == reverse("office:price-list", args=[production.pk])
    with house_scope(world.house):
        tariff = Tariff.objects.get(kind="under_26")
    assert (tariff.production, tariff.performance, tariff.category) == (
        production,
        None,
        sales.category,
    )
    assert tariff.price == Decimal("12.50")
    assert tariff.vat_rate == "6.00"
    assert (tariff.requires_proof, tariff.box_office_only, tariff.is_active) == (
        True,
        True,
        True,
    )
    assert (tariff.min_per_order, tariff.max_per_order) == (2, 4)
    page = client.get(response.url).content.decode()
    assert "Jonger dan 26" in page
    assert "€\xa012,50" in page
    assert reverse("office:tariff-edit", args=[tariff.pk]) in page


def test_a_tariff_window_that_ends_before_it_starts_is_refused(
    client, world, sales, ticketing
):
    data = tariff_data(
        sales.category,
        available_from="2030-05-02T20:00",
        available_until="2030-05-01T20:00",
    )

    response = client.post(reverse("office:tariff-edit", args=[sales.tariff.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    with house_scope(world.house):
        sales.tariff.refresh_from_db()
    assert (sales.tariff.kind, sales.tariff.price) == ("full", Decimal("20.00"))


def test_customising_a_performance_copies_the_prices_for_it_alone(
    client, world, sales, ticketing
):
    url = reverse("office:price-list-customize", args=[sales.performance.pk])

    response = client.post(url)

    assert response.url == reverse(
        "office:performance-prices", args=[sales.performance.pk]
    )
    with house_scope(world.house):
        [own] = Tariff.objects.filter(performance=sales.performance)
    assert (own.price, own.category) == (sales.tariff.price, sales.category)
    page = client.get(response.url).content.decode()
    assert reverse("office:tariff-edit", args=[own.pk]) in page


def test_a_quota_cannot_shrink_below_what_is_sold_and_says_so(
    client, world, sales, ticketing
):
    assert sales.quota.used == 3  # two paid tickets and one pending

    response = client.post(
        reverse("office:quota-edit", args=[sales.quota.pk]),
        {"name": "Zaal", "size": "2"},
    )

    message = _dutch(
        "The size cannot go below the %(used)s places already sold or held.", used=3
    )
    assert response.status_code == 200
    assert response.context["form"].errors["size"] == [message]
    assert message in response.content.decode()
    with house_scope(world.house):
        assert Quota.objects.get(pk=sales.quota.pk).size == 100


def test_a_quota_is_added_for_some_categories_and_listed(
    client, world, sales, ticketing
):
    response = client.post(
        reverse("office:quota-create", args=[sales.performance.pk]),
        {"name": "Balkon", "size": "40", "categories": [sales.category.pk]},
    )

    assert response.url == reverse("office:quota-list", args=[sales.performance.pk])
    with house_scope(world.house):
        quota = Quota.objects.get(name="Balkon")
        assert list(quota.categories.all()) == [sales.category]
    page = client.get(response.url)
    assert page.context["summary"].sold == 3
    assert page.context["summary"].held == 0
    assert page.context["summary"].available == 40
    assert [q.name for q in page.context["quotas"]] == ["Zaal", "Balkon"]


@pytest.mark.parametrize("query", ["code", "code-lowercase", "AN@example.BE", "an@"])
def test_order_look_up_finds_by_code_and_by_email(
    client, world, sales, ticketing, query
):
    text = {
        "code": sales.paid.code,
        "code-lowercase": sales.paid.code.lower(),
    }.get(query, query)

    response = client.get(reverse("office:order-list"), {"q": text})

    assert [order.code for order in response.context["results"]] == [sales.paid.code]
    assert reverse("office:order-detail", args=[sales.paid.code]) in (
        response.content.decode()
    )


def test_order_look_up_lists_the_latest_orders_and_finds_nothing_unknown(
    client, world, sales, ticketing
):
    response = client.get(reverse("office:order-list"), {"q": "nobody@example.be"})

    assert list(response.context["results"]) == []
    assert [order.code for order in response.context["latest"]] == [
        sales.pending.code,
        sales.paid.code,
    ]


def test_the_order_page_shows_buyer_tickets_and_history(
    client, world, sales, ticketing
):
    response = client.get(reverse("office:order-detail", args=[sales.paid.code]))

    page = response.content.decode()
    assert "an@example.be" in page
    assert [t.pk for t in response.context["order"].tickets.all()] == (
        sales.paid_tickets
    )
    assert [
        (t.from_state, t.to_state) for t in response.context["order"].transitions.all()
    ] == [("", "pending"), ("pending", "paid")]
    assert response.context["offers"] == {
        "resend": True,
        "exchange": True,
        "rename": True,
        "refund": True,
        "cancel": False,
    }
    assert reverse("office:order-refund", args=[sales.paid.code]) in page


def test_refunding_one_ticket_refunds_it_and_frees_its_place(
    client, world, sales, ticketing
):
    first, second = sales.paid_tickets

    response = client.post(
        reverse("office:order-refund", args=[sales.paid.code]),
        {"tickets": [first], "reason": "Ziek"},
    )

    assert response.url == reverse("office:order-detail", args=[sales.paid.code])
    with house_scope(world.house):
        states = dict(
            Ticket.objects.filter(order=sales.paid).values_list("pk", "state")
        )
        order = Order.objects.get(pk=sales.paid.pk)
        refund = Refund.objects.get(order=order)
        used = Quota.objects.get(pk=sales.quota.pk).used
    assert states == {first: "refunded", second: "valid"}
    assert order.state == "partially_refunded"
    assert (refund.amount, refund.state, refund.reason) == (
        Decimal("20.00"),
        "manual",
        "Ziek",
    )
    assert used == 2
    page = client.get(response.url).content.decode()
    assert "Ziek" in page


def test_cancelling_a_pending_order_releases_its_place(client, world, sales, ticketing):
    response = client.post(
        reverse("office:order-cancel", args=[sales.pending.code]), {"reason": ""}
    )

    assert response.url == reverse("office:order-detail", args=[sales.pending.code])
    with house_scope(world.house):
        assert Order.objects.get(pk=sales.pending.pk).state == "cancelled"
        assert Quota.objects.get(pk=sales.quota.pk).used == 2


def test_a_paid_order_cannot_be_cancelled_here(client, world, sales, ticketing):
    response = client.post(
        reverse("office:order-cancel", args=[sales.paid.code]), {"reason": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    with house_scope(world.house):
        assert Order.objects.get(pk=sales.paid.pk).state == "paid"


def test_cancelling_a_performance_refunds_and_shows_the_progress(
    client, world, sales, ticketing
):
    url = reverse("office:performance-cancel", args=[sales.performance.pk])
    assert client.get(url).context["orders_affected"] == 2

    response = client.post(url, {"reason": "De hoofdrolspeler is ziek."})

    with house_scope(world.house):
        job = PerformanceCancellation.objects.get(performance=sales.performance)
        states = dict(Order.objects.values_list("code", "state"))
        performance = Performance.objects.get(pk=sales.performance.pk)
    assert response.url == reverse("office:cancellation-detail", args=[job.pk])
    assert (job.state, job.orders_done, job.orders_total) == ("done", 2, 2)
    assert states == {sales.paid.code: "refunded", sales.pending.code: "cancelled"}
    assert performance.status == Performance.Status.CANCELLED
    page = client.get(response.url)
    assert page.context["running"] is False
    assert 'hx-trigger="every 2s"' not in page.content.decode()


def test_a_running_cancellation_polls_every_two_seconds_and_works_without_js(
    client, world, sales, ticketing
):
    url = reverse("office:cancellation-detail", args=[sales.job.pk])

    page = client.get(url).content.decode()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'aria-live="polite"' in page
    assert '<meta http-equiv="refresh"' in page
    assert "django_htmx/htmx-2.min.js" in page
    assert f'href="{url}"' in page
    assert f'hx-get="{url}" hx-trigger="every 2s"' in fragment
    assert "<html" not in fragment
    for text in (page, fragment):
        assert _dutch("%(done)s of %(total)s orders handled", done=1, total=4) in text


def test_the_production_page_counts_sales_in_a_fixed_number_of_queries(
    client, world, sales, ticketing
):
    url = reverse("office:production-detail", args=[sales.performance.production_id])
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert [
        (s.sold, s.held, s.available) for _p, s in response.context["performances"]
    ] == [(3, 0, 97)]
    for _n in range(3):
        performance = PerformanceFactory(
            house=world.house, production=sales.performance.production
        )
        QuotaFactory(performance=performance, size=10)

    with CaptureQueriesContext(connection) as four:
        response = client.get(url)

    assert len(response.context["performances"]) == 4
    assert len(four.captured_queries) == len(one.captured_queries)


def test_a_full_quota_shows_sold_out(client, world, sales, ticketing):
    with house_scope(world.house):
        Quota.objects.filter(pk=sales.quota.pk).update(size=3)

    response = client.get(reverse("office:quota-list", args=[sales.performance.pk]))

    assert response.context["summary"].sold_out is True
    assert "status-sold_out" in response.content.decode()
