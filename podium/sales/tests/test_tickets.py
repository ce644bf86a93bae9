"""Ticket services: verify a scanned code, reissue a ticket, resend the confirmation."""

import pytest
from django.core import mail

from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.sales.errors import SalesError
from podium.sales.models import Order, Ticket
from podium.sales.services.tickets import (
    order_resend_confirmation,
    ticket_reissue,
    ticket_verify,
)
from podium.sales.tickets.signing import ticket_payload
from podium.tenancy.scoping import house_scope

from .test_tickets_support import make_order


@pytest.fixture
def order(house):
    return make_order(house, tickets=2)


@pytest.fixture
def ticket(order):
    return order.tickets.order_by("pk").first()


@pytest.fixture
def payload(ticket):
    return ticket_payload(ticket)


@pytest.fixture
def other_payload(other_house):
    return ticket_payload(make_order(other_house, tickets=1).tickets.get())


@pytest.fixture
def ticketing(house, staff_factory):
    return staff_factory(house, "ticketing")


def test_a_paid_valid_ticket_is_admitted(scoped, house, ticket, payload):
    check = ticket_verify(house=house, payload=payload)

    assert (check.valid, check.reason, check.ticket.pk) == (True, "valid", ticket.pk)


@pytest.mark.parametrize(
    ("ticket_state", "order_state", "reason"),
    [
        (Ticket.State.CANCELLED, Order.State.PAID, "cancelled"),
        (Ticket.State.REFUNDED, Order.State.PARTIALLY_REFUNDED, "refunded"),
        (Ticket.State.VALID, Order.State.PENDING, "unpaid"),
        (Ticket.State.VALID, Order.State.EXPIRED, "unpaid"),
        (Ticket.State.VALID, Order.State.CANCELLED, "cancelled"),
        (Ticket.State.VALID, Order.State.REFUNDED, "refunded"),
    ],
)
def test_a_ticket_that_does_not_admit_says_why(
    scoped, house, order, ticket, payload, ticket_state, order_state, reason
):
    Ticket.objects.filter(pk=ticket.pk).update(state=ticket_state)
    Order.objects.filter(pk=order.pk).update(state=order_state)

    check = ticket_verify(house=house, payload=payload)

    assert (check.valid, check.reason, check.ticket.pk) == (False, reason, ticket.pk)
    assert check.message


def test_the_other_tickets_of_a_partially_refunded_order_still_admit(
    scoped, house, order, ticket
):
    other = order.tickets.exclude(pk=ticket.pk).get()
    Ticket.objects.filter(pk=ticket.pk).update(state=Ticket.State.REFUNDED)
    Order.objects.filter(pk=order.pk).update(state=Order.State.PARTIALLY_REFUNDED)

    assert ticket_verify(house=house, payload=ticket_payload(other)).valid is True


def test_a_code_of_another_house_is_refused(scoped, house, other_payload):
    check = ticket_verify(house=house, payload=other_payload)

    assert (check.valid, check.reason, check.ticket) == (False, "other_house", None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("hello", "malformed"), ("PD1.AAAA.AAAA", "malformed")],
)
def test_a_malformed_code_is_refused(scoped, house, text, reason):
    check = ticket_verify(house=house, payload=text)

    assert (check.valid, check.reason) == (False, reason)


def test_a_forged_code_is_refused(scoped, house, payload):
    prefix, body, signature = payload.split(".")
    forged = f"{prefix}.{body}.{'A' * 85}A"

    assert ticket_verify(house=house, payload=forged).reason == "bad_signature"


def test_a_signed_code_of_a_deleted_ticket_is_refused(scoped, house, ticket, payload):
    Ticket.objects.filter(pk=ticket.pk).delete()

    assert ticket_verify(house=house, payload=payload).reason == "not_found"


def test_reissue_gives_a_new_secret_and_invalidates_the_old_code(
    scoped, house, ticket, payload, ticketing
):
    old_secret = ticket.secret

    reissued = ticket_reissue(house=house, actor=ticketing, ticket=ticket)

    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.version, stored.secret) == (2, reissued.secret)
    assert stored.secret != old_secret
    old_check = ticket_verify(house=house, payload=payload)
    assert (old_check.valid, old_check.reason) == (False, "reissued")
    assert ticket_verify(house=house, payload=ticket_payload(stored)).valid is True
    entry = AuditEntry.objects.get(action="podium.sales.ticket.reissued")
    assert (entry.actor, entry.object_id, entry.data["version"]) == (
        ticketing,
        str(ticket.pk),
        [1, 2],
    )
    assert old_secret not in str(entry.data) and stored.secret not in str(entry.data)


def test_reissue_twice_keeps_only_the_newest_code(scoped, house, ticket, ticketing):
    first = ticket_payload(ticket_reissue(house=house, actor=ticketing, ticket=ticket))
    second = ticket_payload(ticket_reissue(house=house, actor=ticketing, ticket=ticket))

    assert ticket_verify(house=house, payload=first).reason == "reissued"
    assert ticket_verify(house=house, payload=second).reason == "valid"


def test_a_cancelled_ticket_is_not_reissued(scoped, house, ticket, ticketing):
    Ticket.objects.filter(pk=ticket.pk).update(state=Ticket.State.CANCELLED)

    with pytest.raises(SalesError):
        ticket_reissue(house=house, actor=ticketing, ticket=ticket)

    assert Ticket.objects.get(pk=ticket.pk).version == 1
    assert not AuditEntry.objects.filter(action="podium.sales.ticket.reissued").exists()


def test_a_ticket_of_another_house_cannot_be_reissued(
    scoped, house, other_house, ticketing
):
    with house_scope(other_house):
        foreign = make_order(other_house, tickets=1).tickets.get()
        secret = foreign.secret

    with pytest.raises(NotFound):
        ticket_reissue(house=house, actor=ticketing, ticket=foreign)

    with house_scope(other_house):
        assert Ticket.objects.get(pk=foreign.pk).secret == secret


def test_resend_mails_a_paid_order_after_commit(
    scoped, house, order, ticketing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order_resend_confirmation(house=house, actor=ticketing, order=order)
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    assert order.code in mail.outbox[0].subject
    assert mail.outbox[0].to == ["Ann Peeters <ann@example.org>"]
    entry = AuditEntry.objects.get(action="podium.sales.order.confirmation_resent")
    assert (entry.actor, entry.object_id) == (ticketing, str(order.pk))


@pytest.mark.parametrize("state", [Order.State.PENDING, Order.State.EXPIRED])
def test_resend_refuses_an_unpaid_order(
    scoped, house, order, ticketing, state, django_capture_on_commit_callbacks
):
    Order.objects.filter(pk=order.pk).update(state=state)
    order.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(SalesError):
            order_resend_confirmation(house=house, actor=ticketing, order=order)

    assert (callbacks, mail.outbox) == ([], [])
    assert not AuditEntry.objects.filter(
        action="podium.sales.order.confirmation_resent"
    ).exists()


def test_resend_refuses_an_order_of_another_house(
    scoped, house, other_house, ticketing, django_capture_on_commit_callbacks
):
    with house_scope(other_house):
        foreign = make_order(other_house, tickets=1)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(NotFound):
            order_resend_confirmation(house=house, actor=ticketing, order=foreign)

    assert (callbacks, mail.outbox) == ([], [])
