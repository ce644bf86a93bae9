"""The order desk: find an order by a scanned ticket, exchange tickets through the
pages (general admission and seated), put a ticket in another name."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from podium.catalog.tests.factories import PerformanceFactory
from podium.sales.models import Basket, Hold, Order, Payment, Ticket
from podium.sales.tests.factories import QuotaFactory, TariffFactory
from podium.sales.tickets.signing import ticket_payload
from podium.seating.models import PerformanceSeat
from podium.seating.services import performance_seating_setup
from podium.seating.tests.factories import seat_plan_make
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

D = Decimal


@pytest.fixture
def ticketing(client, house, staff_factory):
    user = staff_factory(house, StaffRole.Role.TICKETING)
    client.force_login(user)
    return user


@pytest.fixture
def later(world, sales):
    """The same production a few days later, at 23.00 (its own price), 10 places."""
    performance = PerformanceFactory(
        house=world.house,
        production=sales.performance.production,
        starts_at=sales.performance.starts_at + timedelta(days=3),
    )
    TariffFactory(category=sales.category, performance=performance, price=D("23.00"))
    QuotaFactory(performance=performance, size=10)
    return performance


def _url(sales):
    return reverse("office:order-exchange", args=[sales.paid.code])


def _post(client, sales, performance, action, **extra):
    data = {
        "performance": performance.pk,
        "tickets": sales.paid_tickets,
        "payment_method": "card_terminal",
        "refund_method": "cash",
        "action": action,
    }
    data.update(extra)
    return client.post(_url(sales), data)


def test_exchange_through_the_pages(client, world, sales, later, ticketing):
    listing = client.get(_url(sales))
    form = client.get(_url(sales), {"performance": later.pk})
    quote = _post(client, sales, later, "quote")
    done = _post(client, sales, later, "confirm")

    assert [p.pk for p, _a in listing.context["candidates"]] == [later.pk]
    assert f"?performance={later.pk}" in listing.content.decode()
    assert form.status_code == 200
    assert quote.context["quote"].difference == D("6.00")
    assert "€\xa06,00" in quote.content.decode()
    assert done.status_code == 302
    assert done.url == reverse("office:order-detail", args=[sales.paid.code])
    page = client.get(done.url)
    order = page.context["order"]
    assert order.total == D("46.00")
    assert sorted(t.state for t in order.tickets.all()) == [
        "exchanged",
        "exchanged",
        "valid",
        "valid",
    ]
    assert "€\xa06,00" in " ".join(str(m) for m in page.context["messages"])
    with house_scope(world.house):
        payment = Payment.objects.filter(order=sales.paid).order_by("pk").last()
        assert (payment.provider, payment.amount) == ("card_terminal", D("6.00"))


def test_a_refused_exchange_shows_why_and_changes_nothing(
    client, world, sales, ticketing
):
    response = _post(client, sales, sales.performance, "confirm")

    assert response.status_code == 200
    assert response.context["form"].errors
    with house_scope(world.house):
        assert set(
            Ticket.objects.filter(order=sales.paid).values_list("state", flat=True)
        ) == {"valid"}


def test_a_seated_exchange_holds_the_chosen_seats_then_sells_them(
    client, world, sales, ticketing
):
    with scopes_disabled():
        seated = PerformanceFactory(
            house=world.house, production=sales.performance.production
        )
        QuotaFactory(performance=seated, size=100)
        plan = seat_plan_make(house=world.house, hall=seated.hall)
    with house_scope(world.house):
        performance_seating_setup(
            house=world.house,
            actor=None,
            performance=seated,
            plan=plan,
            zones={1: sales.category, 2: sales.category},
        )
        seats = list(
            PerformanceSeat.objects.filter(performance=seated).order_by("pk")[:2]
        )
    seat_ids = [seat.pk for seat in seats]

    quote = _post(client, sales, seated, "quote", seat=seat_ids, kind="full")
    token = quote.context["form"].data["basket"]
    done = _post(client, sales, seated, "confirm", seat=seat_ids, basket=token)

    assert quote.context["quote"].difference == D("0.00")
    assert done.status_code == 302
    with house_scope(world.house):
        basket = Basket.objects.get(token=token)
        assert set(
            Hold.objects.filter(basket=basket).values_list("state", flat=True)
        ) == {"ordered"}
        new = Ticket.objects.filter(order=sales.paid, state="valid")
        assert sorted(t.seat_id for t in new) == seat_ids
        assert all(t.seat_label for t in new)
        assert set(
            PerformanceSeat.objects.filter(pk__in=seat_ids).values_list(
                "state", flat=True
            )
        ) == {"sold"}
        assert Order.objects.get(pk=sales.paid.pk).total == sales.paid.total


def test_a_scanned_ticket_opens_its_order_and_a_forged_one_says_so(
    client, world, sales, ticketing
):
    with house_scope(world.house):
        code = ticket_payload(Ticket.objects.get(pk=sales.paid_tickets[0]))
    forged = code[:-3] + ("AAA" if not code.endswith("AAA") else "BBB")

    found = client.get(reverse("office:order-list"), {"q": code})
    refused = client.get(reverse("office:order-list"), {"q": forged})

    assert found.status_code == 302
    assert found.url == reverse("office:order-detail", args=[sales.paid.code])
    assert refused.status_code == 200
    assert list(refused.context["results"]) == []
    assert list(refused.context["messages"])


def test_the_search_box_mentions_the_scanner(client, world, sales, ticketing):
    page = client.get(reverse("office:order-list")).content.decode()

    assert "scanner" in page.lower()


def test_putting_a_ticket_in_another_name(client, world, sales, ticketing):
    url = reverse("office:ticket-holder", args=[sales.paid.code, sales.paid_tickets[0]])

    response = client.post(url, {"name": "Bert Claes"})

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Bert Claes" in page
    with house_scope(world.house):
        assert Ticket.objects.get(pk=sales.paid_tickets[0]).holder_name == "Bert Claes"
