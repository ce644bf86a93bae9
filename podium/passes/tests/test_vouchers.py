"""Gift vouchers: sold as an order, spendable once paid, spent over several orders,
given back by an order that expires unpaid, refused with a reason."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from podium.passes.errors import PassesError
from podium.passes.models import GiftVoucher, VoucherUse
from podium.passes.tests.factories import voucher_active_make
from podium.passes.voucher_pdf import voucher_pdf
from podium.passes.vouchers import (
    voucher_buy,
    voucher_code_clean,
    voucher_pay,
    voucher_usable,
    voucher_value_parse,
)
from podium.sales.models import Order, OrderItem, Payment, SalesSettings
from podium.sales.selectors import order_amount_due
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_cancel, order_expire, order_mark_paid
from podium.sales.services.payments import payment_confirm, payment_start
from podium.sales.tests.factories import buy, on_sale_performance
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    mollie_server_fixture,
)

pytestmark = pytest.mark.django_db
D = Decimal


def paid_voucher(house, value="50.00", **fields) -> GiftVoucher:
    voucher = voucher_active_make(
        house,
        value=value,
        buyer_name="Els Wouters",
        buyer_email="els@example.be",
        recipient_name="Tom",
        message="Veel plezier!",
    )
    if fields:
        GiftVoucher.objects.filter(pk=voucher.pk).update(**fields)
        voucher.refresh_from_db()
    return voucher


@pytest.fixture
def tickets(scoped):
    """A pending order of two € 20 tickets (no fees)."""
    performance, tariff, _quota = on_sale_performance(scoped, size=50)
    return lambda quantity=2: buy(scoped, performance, tariff, quantity)


def test_a_voucher_is_sold_as_an_order_and_spendable_once_paid(
    scoped, django_capture_on_commit_callbacks
):
    voucher = voucher_buy(
        house=scoped,
        actor=None,
        value="35,50",
        buyer_name="Els Wouters",
        buyer_email="els@example.be",
    )
    order = voucher.order
    assert order.total == D("35.50")
    item = order.items.get()
    assert item.kind == OrderItem.Kind.VOUCHER and item.vat_amount == D("0.00")
    assert voucher.state == GiftVoucher.State.PENDING and voucher.balance == D("35.50")
    assert voucher.expires_on >= timezone.localdate() + timedelta(days=365)
    with pytest.raises(PassesError, match="not been paid"):
        voucher_usable(house=scoped, code=voucher.code)

    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order=order)
    voucher.refresh_from_db()
    assert voucher.state == GiftVoucher.State.ACTIVE
    assert voucher_usable(house=scoped, code=voucher.code.lower().replace("-", ""))
    message = mail.outbox[-1]
    assert voucher.code in message.body
    ((name, content, kind),) = message.attachments
    assert name == f"cadeaubon-{voucher.code}.pdf" and content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "value, message",
    [
        ("4.99", "between 5 and 500"),
        ("501", "between 5 and 500"),
        ("12.345", "amount in euros"),
        ("tien", "amount in euros"),
        ("NaN", "amount in euros"),
    ],
)
def test_a_voucher_value_out_of_range_is_refused(value, message):
    with pytest.raises(PassesError, match=message):
        voucher_value_parse(value)


def test_a_voucher_pays_part_of_an_order_and_the_rest_is_paid_online(scoped, tickets):
    voucher = paid_voucher(scoped, "15.00")
    order = tickets()  # € 40
    use = voucher_pay(house=scoped, actor=None, order=order, code=voucher.code)

    voucher.refresh_from_db()
    order.refresh_from_db()
    assert use.amount == D("15.00") and voucher.balance == D("0.00")
    assert order.state == Order.State.PENDING
    assert order_amount_due(order=order) == D("25.00")
    SalesSettings.objects.update_or_create(
        house=scoped, defaults={"bank_account_iban": "BE68539007547034"}
    )
    rest = payment_start(
        house=scoped, actor=None, order=order, provider="bank_transfer"
    )
    assert rest.amount == D("25.00")
    payment_confirm(payment=rest, note="bank")
    order.refresh_from_db()
    assert order.state == Order.State.PAID


def test_a_voucher_is_spent_over_several_orders_until_used_up(scoped, tickets):
    voucher = paid_voucher(scoped, "50.00")
    first = tickets()  # € 40: fully paid by the voucher
    voucher_pay(house=scoped, actor=None, order=first, code=voucher.code)
    first.refresh_from_db()
    assert first.state == Order.State.PAID
    assert first.payments.get().provider == "voucher"

    second = tickets()
    use = voucher_pay(house=scoped, actor=None, order=second, code=voucher.code)
    assert use.amount == D("10.00")
    with pytest.raises(PassesError, match="used up"):
        voucher_pay(house=scoped, actor=None, order=tickets(), code=voucher.code)
    voucher.refresh_from_db()
    assert voucher.balance == D("0.00")
    assert sum(u.amount for u in voucher.uses.all()) == voucher.value


def test_an_order_that_expires_unpaid_gives_the_voucher_part_back(scoped, tickets):
    voucher = paid_voucher(scoped, "15.00")
    order = tickets()
    voucher_pay(house=scoped, actor=None, order=order, code=voucher.code)
    order_expire(order=order)
    order_expire_again = Order.objects.get(pk=order.pk)

    voucher.refresh_from_db()
    assert voucher.balance == D("15.00")
    use = VoucherUse.objects.get()
    assert use.given_back_at is not None
    assert Payment.objects.get(pk=use.payment_id).state == Payment.State.GIVEN_BACK
    assert order_expire_again.state == Order.State.EXPIRED


def test_a_cancelled_pending_order_gives_back_once(scoped, tickets):
    voucher = paid_voucher(scoped, "15.00")
    order = tickets()
    voucher_pay(house=scoped, actor=None, order=order, code=voucher.code)
    order_cancel(house=scoped, actor=None, order=order)
    voucher.refresh_from_db()
    assert voucher.balance == D("15.00")


def test_refusals_say_why(scoped, tickets):
    with pytest.raises(PassesError, match="not known"):
        voucher_usable(house=scoped, code="AAAA-BBBB-CCCC")
    expired = paid_voucher(scoped, expires_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(PassesError, match="expired on"):
        voucher_pay(house=scoped, actor=None, order=tickets(), code=expired.code)
    voucher = paid_voucher(scoped, "100.00")
    paid = tickets()
    order_mark_paid(order=paid)
    with pytest.raises(PassesError, match="cannot be paid"):
        voucher_pay(house=scoped, actor=None, order=paid, code=voucher.code)
    other = voucher_buy(
        house=scoped, actor=None, value=20, buyer_name="A", buyer_email="a@example.be"
    )
    with pytest.raises(PassesError, match="another gift voucher"):
        voucher_pay(house=scoped, actor=None, order=other.order, code=voucher.code)
    voucher.refresh_from_db()
    assert voucher.balance == D("100.00")


def test_a_voucher_of_another_house_is_unknown(scoped, other_house, tickets):
    from podium.tenancy.scoping import house_scope

    with house_scope(other_house):
        foreign = paid_voucher(other_house)
    with pytest.raises(PassesError, match="not known"):
        voucher_pay(house=scoped, actor=None, order=tickets(), code=foreign.code)


def test_codes_are_read_forgivingly():
    assert voucher_code_clean(" abcd efgh-jkmn ") == "ABCD-EFGH-JKMN"


def test_the_voucher_pdf_names_value_code_and_validity(scoped):
    voucher = paid_voucher(scoped, "50.00")
    pdf = voucher_pdf(voucher)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def _paid_part_by_voucher(house, order, voucher):
    """`order` paid: the voucher's part, the rest by bank transfer."""
    voucher_pay(house=house, actor=None, order=order, code=voucher.code)
    SalesSettings.objects.update_or_create(
        house=house, defaults={"bank_account_iban": "BE68539007547034"}
    )
    rest = payment_start(house=house, actor=None, order=order, provider="bank_transfer")
    payment_confirm(payment=rest, note="bank")
    order.refresh_from_db()
    return rest


def test_a_refund_puts_the_voucher_part_back_and_the_rest_through_the_money(
    scoped, tickets
):
    from podium.sales.services.refunds import order_refund

    voucher = paid_voucher(scoped, "15.00")
    order = tickets()  # € 40
    rest = _paid_part_by_voucher(scoped, order, voucher)

    refund = order_refund(house=scoped, actor=None, order=order)

    assert (refund.amount, refund.to_voucher) == (D("40.00"), D("15.00"))
    assert refund.payment == rest  # the € 25 goes back by bank, by hand
    assert refund.state == "manual"
    voucher.refresh_from_db()
    assert voucher.balance == D("15.00")
    assert VoucherUse.objects.get().refunded == D("15.00")


def test_refunds_ticket_by_ticket_put_the_voucher_part_back_once(scoped, tickets):
    from podium.sales.services.refunds import order_refund

    voucher = paid_voucher(scoped, "15.00")
    order = tickets()  # 2 × € 20
    _paid_part_by_voucher(scoped, order, voucher)
    first, second = order.tickets.order_by("pk")

    one = order_refund(house=scoped, actor=None, order=order, tickets=[first])
    order.refresh_from_db()
    two = order_refund(house=scoped, actor=None, order=order, tickets=[second])

    assert (one.amount, one.to_voucher) == (D("20.00"), D("15.00"))
    assert (two.amount, two.to_voucher) == (D("20.00"), D("0.00"))
    voucher.refresh_from_db()
    assert voucher.balance == D("15.00")  # never more than it paid


def test_an_order_paid_by_a_voucher_alone_is_refunded_onto_it(scoped, tickets):
    from podium.sales.services.refunds import order_refund

    voucher = paid_voucher(scoped, "50.00")
    order = tickets()
    voucher_pay(house=scoped, actor=None, order=order, code=voucher.code)
    order.refresh_from_db()

    refund = order_refund(house=scoped, actor=None, order=order)

    assert (refund.state, refund.to_voucher) == ("done", D("40.00"))
    order.refresh_from_db()
    voucher.refresh_from_db()
    assert order.state == Order.State.REFUNDED
    assert voucher.balance == D("50.00")


def test_cancelling_a_paid_voucher_purchase_cancels_the_voucher(scoped, tickets):
    voucher = paid_voucher(scoped, "30.00")
    order_cancel(house=scoped, actor=None, order=voucher.order)
    voucher.refresh_from_db()
    assert voucher.state == GiftVoucher.State.CANCELLED
    with pytest.raises(PassesError, match="not known"):
        voucher_pay(house=scoped, actor=None, order=tickets(), code=voucher.code)


def test_the_register_counts_only_the_money_of_a_voucher_refund(scoped, staff_factory):
    from podium.sales.services.orders import order_place
    from podium.sales.services.refunds import order_refund
    from podium.sales.services.register import register_day_report, register_today
    from podium.sales.tests.factories import on_sale_performance
    from podium.tenancy.models import StaffRole

    clerk = staff_factory(scoped, StaffRole.Role.TICKETING, username="an")
    performance, tariff, _quota = on_sale_performance(scoped, size=10)
    voucher = paid_voucher(scoped, "15.00")
    basket = basket_create(house=scoped, channel=Order.Channel.BOX_OFFICE)
    basket_add(
        house=scoped,
        actor=clerk,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=2,
    )
    order = order_place(
        house=scoped,
        actor=clerk,
        basket=basket,
        buyer_name="",
        buyer_email="",
        channel=Order.Channel.BOX_OFFICE,
    )
    voucher_pay(house=scoped, actor=clerk, order=order, code=voucher.code)
    payment_start(house=scoped, actor=clerk, order=order, provider="cash")
    order.refresh_from_db()
    assert order.state == Order.State.PAID

    order_refund(house=scoped, actor=clerk, order=order)

    report = register_day_report(house=scoped, day=register_today(house=scoped))
    cash = next(line for line in report.methods if line.method == "cash")
    assert (cash.sales, cash.refunds) == (D("25.00"), D("25.00"))
    assert "other" not in {line.method for line in report.methods}


def test_mollie_pays_back_only_the_money_part(scoped, tickets, mollie_server, settings):
    from podium.sales.services.payments import mollie_webhook_handle
    from podium.sales.services.refunds import order_refund
    from podium.sales.tests.mollie_server import API_KEY

    settings.PODIUM_PUBLIC_URL = "https://tickets.example"
    SalesSettings.objects.update_or_create(
        house=scoped, defaults={"mollie_api_key": API_KEY}
    )
    voucher = paid_voucher(scoped, "15.00")
    order = tickets()  # € 40
    voucher_pay(house=scoped, actor=None, order=order, code=voucher.code)
    online = payment_start(house=scoped, actor=None, order=order, provider="mollie")
    assert online.amount == D("25.00")
    mollie_server.set_status(online.external_id, "paid")
    mollie_webhook_handle(external_id=online.external_id)
    order.refresh_from_db()
    assert order.state == Order.State.PAID

    refund = order_refund(house=scoped, actor=None, order=order)

    method, path, body = mollie_server.requests[-1]
    assert (method, path) == ("POST", f"/v2/payments/{online.external_id}/refunds")
    assert body["amount"] == {"currency": "EUR", "value": "25.00"}
    assert (refund.state, refund.amount, refund.to_voucher) == (
        "done",
        D("40.00"),
        D("15.00"),
    )
    voucher.refresh_from_db()
    assert voucher.balance == D("15.00")


def test_with_a_broker_the_voucher_mail_is_left_to_a_worker(scoped, monkeypatch):
    from podium.passes import tasks

    queued = []
    conf = tasks.voucher_mail_task.app.conf
    monkeypatch.setattr(tasks.voucher_mail_task, "delay", queued.append)
    mail.outbox.clear()
    conf.task_always_eager = False
    try:
        tasks.mail_later(tasks.voucher_mail_task, 42)
    finally:
        conf.task_always_eager = True

    assert queued == [42] and mail.outbox == []
