"""The demo's friends pass and gift voucher at De Steiger.

- "Vriendenpas De Steiger": € 25 a year, a member tariff (20 % off the full price)
  on every production, buying 7 days before the public sale, at most 2 member
  tickets per performance.
- A friend with a shop account (FRIEND_EMAIL, the demo password) who holds a
  valid pass: signed in, the webshop gives her the member tariff by itself.
- A gift voucher VOUCHER_CODE worth € 15, which pays part of a typical order.

Sold through the same services as the box office, once: a later `load_demo` finds
them and changes nothing.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from podium.customers.models import Customer
from podium.passes.memberships import membership_buy
from podium.passes.models import GiftVoucher, MembershipType
from podium.passes.order_hooks import order_paid
from podium.passes.vouchers import voucher_buy
from podium.sales.models import Order, Tariff
from podium.sales.services.payments import payment_start
from podium.tenancy.models import House

from . import demo_data as demo

FRIEND_EMAIL = "vriend@example.be"
FRIEND_NAME = "Mieke Claes"
VOUCHER_CODE = "KADO-BON2-2026"
VOUCHER_VALUE = Decimal("15.00")
MEMBER_SHARE = Decimal("0.8")
PASS_NAME = {
    "nl": "Vriendenpas De Steiger",
    "fr": "Carte d'ami De Steiger",
    "en": "De Steiger friends pass",
}
PASS_DESCRIPTION = {
    "nl": "Een jaar lang het vriendentarief, en je tickets een week vóór iedereen.",
    "fr": "Un an de tarif ami, et vos billets une semaine avant tout le monde.",
    "en": "A year of the member tariff, and your tickets a week before anyone else.",
}
MEMBER_NAME = {"nl": "Vriendentarief", "fr": "Tarif ami", "en": "Member tariff"}


def _member_tariffs(house: House) -> int:
    """A member tariff next to every full-price tariff of the house."""
    made = 0
    for full in Tariff.objects.filter(house=house, kind=Tariff.Kind.FULL):
        price = (full.price * MEMBER_SHARE * 2).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        ) / 2
        Tariff.objects.create(
            house=house,
            production_id=full.production_id,
            performance_id=full.performance_id,
            category_id=full.category_id,
            kind=Tariff.Kind.MEMBER,
            name=MEMBER_NAME,
            price=price,
            vat_rate=full.vat_rate,
            position=full.position,  # listed right after the full price
        )
        made += 1
    return made


def ensure_passes() -> GiftVoucher | None:
    """The demo's friends pass type, member tariffs, friend and voucher, created
    when the demo house has no friends pass yet."""
    house = House.objects.filter(slug=demo.BOX_OFFICE_HOUSE).first()
    if house is None or MembershipType.objects.filter(house=house).exists():
        return None
    clerk = get_user_model().objects.filter(username=demo.BOX_OFFICE_CLERK).first()
    with transaction.atomic():
        type_ = MembershipType.objects.create(
            house=house,
            name=PASS_NAME,
            description=PASS_DESCRIPTION,
            price=Decimal("25.00"),
            early_access_days=7,
            max_tickets_per_performance=2,
        )
        _member_tariffs(house)
        friend, _created = Customer.objects.get_or_create(
            cluster=house.cluster,
            email=FRIEND_EMAIL,
            defaults={"name": FRIEND_NAME, "password": make_password(demo.PASSWORD)},
        )
    membership = membership_buy(
        house=house,
        actor=clerk,
        type=type_,
        holder_name=FRIEND_NAME,
        holder_email=FRIEND_EMAIL,
        customer=friend,
        channel=Order.Channel.BOX_OFFICE,
    )
    voucher = voucher_buy(
        house=house,
        actor=clerk,
        value=VOUCHER_VALUE,
        buyer_name="Els Wouters",
        buyer_email="els.wouters@example.be",
        recipient_name="Tom",
        message="Geniet ervan!",
        channel=Order.Channel.BOX_OFFICE,
    )
    GiftVoucher.objects.filter(pk=voucher.pk).update(code=VOUCHER_CODE)
    for order in (membership.order, voucher.order):
        Order.objects.filter(pk=order.pk).update(send_confirmation=False)
        payment_start(house=house, actor=clerk, order=order, provider="cash")
        order_paid(order.pk)  # also when the after-commit hook already ran
    return voucher
