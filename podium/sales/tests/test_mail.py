"""The order confirmation, delivered through a real SMTP server started by the test."""

import email
import logging
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from podium.sales import hooks
from podium.sales.models import Order
from podium.sales.tickets.mail import on_order_paid, order_confirmation_send

from .test_tickets_support import make_order


class KeepMessages:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=policy.default)
        )
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def point_django_at(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10


@pytest.fixture
def smtp(settings):
    handler = KeepMessages()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    point_django_at(settings, controller.port)
    try:
        yield handler
    finally:
        controller.stop()


def mark_paid(order: Order) -> None:
    # What order_mark_paid does: the state change, then the hooks after commit.
    with transaction.atomic():
        Order.objects.filter(pk=order.pk).update(state=Order.State.PAID)
        for callback in hooks.order_paid_callbacks():
            transaction.on_commit(lambda cb=callback: cb(order.pk))


def parts(message):
    return {
        part.get_content_type(): part
        for part in message.walk()
        if not part.is_multipart()
    }


def test_the_mailer_is_registered_on_the_order_paid_hook():
    assert hooks.order_paid_callbacks().count(on_order_paid) == 1


def test_a_paid_order_is_mailed_after_commit_with_pdf_and_calendar(
    scoped, house, smtp, django_capture_on_commit_callbacks
):
    order = make_order(house, tickets=2, state=Order.State.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        mark_paid(order)
        assert smtp.messages == []

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert smtp.envelopes[0].rcpt_tos == ["ann@example.org"]
    assert order.code in message["Subject"]
    assert "De Storm" in message["Subject"]
    assert message["From"].addresses[0].display_name == house.name
    assert message["Reply-To"].addresses[0].addr_spec == house.email
    found = parts(message)
    assert set(found) == {"text/plain", "text/html", "application/pdf", "text/calendar"}
    pdf = found["application/pdf"]
    assert pdf.get_filename() == f"tickets-{order.code}.pdf"
    assert pdf.get_content().startswith(b"%PDF-")
    calendar = found["text/calendar"]
    assert calendar.get_filename().endswith(".ics")
    ics = calendar.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "BEGIN:VEVENT" in ics and order.code in ics
    text = found["text/plain"].get_content()
    assert "Ann Peeters" in text and order.code in text and "De Storm" in text
    assert "2 × Rang 1 · Volle prijs: € 25,00" in text
    assert '<html lang="nl">' in found["text/html"].get_content()


def test_the_mail_is_in_the_order_language(scoped, house, smtp):
    order = make_order(house, tickets=1, locale="fr")

    assert order_confirmation_send(order_id=order.pk) is True

    message = smtp.messages[0]
    assert "La Tempête" in message["Subject"]
    assert "De Storm" not in message["Subject"]
    found = parts(message)
    assert "Plein tarif" in found["text/plain"].get_content()
    assert '<html lang="fr">' in found["text/html"].get_content()


def test_one_calendar_per_performance(scoped, house, smtp):
    from .test_tickets_support import brussels, make_performance

    shows = [
        make_performance(house, starts_at=brussels(2026, 6, 1, 20, 0)),
        make_performance(house, starts_at=brussels(2026, 6, 2, 20, 0)),
    ]
    order = make_order(house, performances=shows, tickets=1)

    order_confirmation_send(order_id=order.pk)

    calendars = [
        part
        for part in smtp.messages[0].walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert len(calendars) == 2


def test_an_unpaid_order_is_not_mailed(scoped, house, smtp):
    order = make_order(house, tickets=1, state=Order.State.PENDING)

    assert order_confirmation_send(order_id=order.pk) is False
    assert smtp.messages == []


def test_an_order_that_asked_for_no_mail_is_not_mailed_on_payment(
    scoped, house, smtp, django_capture_on_commit_callbacks
):
    order = make_order(house, tickets=1, state=Order.State.PENDING)
    Order.objects.filter(pk=order.pk).update(send_confirmation=False)

    with django_capture_on_commit_callbacks(execute=True):
        mark_paid(order)

    assert smtp.messages == []
    # staff may still send it on purpose
    assert order_confirmation_send(order_id=order.pk) is True
    assert len(smtp.messages) == 1


def test_a_mail_failure_is_logged_and_keeps_the_order_paid(
    scoped, house, settings, caplog, django_capture_on_commit_callbacks
):
    point_django_at(settings, free_port())  # nothing listens there
    order = make_order(house, tickets=1, state=Order.State.PENDING)

    with caplog.at_level(logging.ERROR, logger="podium.sales.tickets.mail"):
        with django_capture_on_commit_callbacks(execute=True):
            mark_paid(order)

    order.refresh_from_db()
    assert order.state == Order.State.PAID
    assert any(
        "could not be sent" in r.getMessage() and r.exc_info for r in caplog.records
    )


def test_the_mailer_works_without_an_active_scope(house, smtp):
    order = make_order(house, tickets=1)  # the test body has no scope at all

    assert order_confirmation_send(order_id=order.pk) is True
    assert len(smtp.messages) == 1


def test_an_unknown_order_is_logged_not_raised(db, smtp):
    assert order_confirmation_send(order_id=999_999) is False
