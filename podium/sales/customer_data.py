"""A customer's orders: which are theirs, and their part in export and erasure (GDPR).

The customers app knows nothing of orders (sales sits above it); this module joins
the two for the account pages, the data export and the erasure.
"""

from django.db import transaction
from django.db.models import Q, QuerySet

from podium.core.i18n import localize
from podium.customers import accounts
from podium.customers.models import Customer
from podium.tenancy.models import House

from .models import Order, Ticket


def _orders_of(customer: Customer, manager) -> QuerySet[Order]:
    condition = Q(customer=customer)
    if customer.email_verified and customer.email:
        condition |= Q(customer__isnull=True, buyer_email__iexact=customer.email)
    return manager.filter(condition, house__cluster_id=customer.cluster_id)


def orders_of(customer: Customer) -> QuerySet[Order]:
    """The customer's orders in the houses of the current scope: linked to them, or
    guest orders (no customer) placed with their verified e-mail address."""
    return _orders_of(customer, Order.objects)


def _all_orders_of(customer: Customer) -> QuerySet[Order]:
    # Export and erasure must reach every house of the cluster, also a house that
    # is no longer active (outside the shop's scope): the plain base manager with
    # an explicit cluster filter, on this one customer's rows only.
    return _orders_of(customer, Order._base_manager)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def customer_data_export(customer: Customer) -> dict:
    """Everything Podium keeps on `customer`, as JSON-ready data (GDPR access)."""
    houses = {house.pk: house.name for house in House.objects.all()}
    orders = list(_all_orders_of(customer).order_by("created_at", "pk"))
    tickets = Ticket._base_manager.filter(order__in=orders).select_related(
        "performance__production", "tariff"
    )
    by_order: dict[int, list] = {}
    for ticket in tickets:
        by_order.setdefault(ticket.order_id, []).append(
            {
                "performance": localize(ticket.performance.production.title),
                "starts_at": _iso(ticket.performance.starts_at),
                "seat": ticket.seat_label,
                "tariff": localize(ticket.tariff.name) or ticket.tariff.kind,
                "holder_name": ticket.holder_name,
                "price": str(ticket.price),
                "vat_rate": str(ticket.vat_rate),
                "vat_amount": str(ticket.vat_amount),
                "state": ticket.state,
            }
        )
    data = accounts.customer_profile_export(customer)
    data["orders"] = [
        {
            "code": order.code,
            "house": houses.get(order.house_id, ""),
            "state": order.state,
            "channel": order.channel,
            "created_at": _iso(order.created_at),
            "paid_at": _iso(order.paid_at),
            "buyer_name": order.buyer_name,
            "buyer_email": order.buyer_email,
            "company_name": order.company_name,
            "company_vat": order.company_vat,
            "total": str(order.total),
            "tickets": by_order.get(order.pk, []),
        }
        for order in orders
    ]
    return data


@transaction.atomic
def customer_erase(*, customer: Customer, actor=None) -> Customer:
    """Erase the person, keep the accounting (GDPR erasure).

    Orders keep their amounts, VAT, dates and tickets' prices; the buyer's name,
    e-mail and company and the tickets' holder names are blanked and the orders no
    longer point to the customer; then the customers app forgets the person.
    """
    order_ids = list(_all_orders_of(customer).values_list("pk", flat=True))
    Order._base_manager.filter(pk__in=order_ids).update(
        customer=None, buyer_name="", buyer_email="", company_name="", company_vat=""
    )
    Ticket._base_manager.filter(order_id__in=order_ids).update(holder_name="")
    return accounts.customer_forget(
        customer=customer, actor=actor, orders=len(order_ids)
    )
