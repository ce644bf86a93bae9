"""A customer's orders: which are theirs, and their part in export and erasure (GDPR).

The customers app knows nothing of orders (sales sits above it); this module joins
the two for the account pages, the data export, the erasure and the retention.

Two exports: `customer_data_export` is everything, for the customer themself (their
account page); `customer_house_export` is one house's part, for that house's office.
A house may see a customer only through its own relation (DESIGN, Tenancy), so the
office never hands out another house's orders, consents or notes, nor the wish list
(which belongs to the customer's cluster account, not to any house).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from podium.core.audit import audit_log
from podium.core.i18n import localize
from podium.customers import accounts
from podium.customers.models import (
    Consent,
    Customer,
    CustomerNote,
    CustomerRelation,
    PrivacySettings,
)
from podium.customers.selectors import customer_get
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


def _orders_export(orders: list, houses: dict[int, str]) -> list[dict]:
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
    return [
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


def customer_data_export(customer: Customer) -> dict:
    """Everything Podium keeps on `customer`, as JSON-ready data (GDPR access)."""
    houses = {house.pk: house.name for house in House.objects.all()}
    orders = list(_all_orders_of(customer).order_by("created_at", "pk"))
    data = accounts.customer_profile_export(customer)
    data["orders"] = _orders_export(orders, houses)
    return data


def customer_house_export(*, house: House, customer: Customer) -> dict:
    """What `house` keeps on `customer`, as JSON-ready data: the shared profile,
    the house's own relation, consents (with their history), notes and the orders
    placed at this house. Nothing of the other houses of the cluster.

    NotFound when the house does not know the customer.
    """
    customer = customer_get(house=house, pk=customer.pk)
    relation = CustomerRelation.objects.get(house=house, customer=customer)
    orders = list(
        _all_orders_of(customer).filter(house=house).order_by("created_at", "pk")
    )
    consents = Consent.objects.filter(house=house, customer=customer).order_by(
        "at", "pk"
    )
    notes = CustomerNote.objects.filter(house=house, customer=customer).order_by(
        "created_at", "pk"
    )
    return {
        "house": house.name,
        "exported_at": _iso(timezone.now()),
        "profile": {
            "name": customer.name,
            "email": customer.email,
            "email_verified": customer.email_verified,
            "phone": customer.phone,
            "created_at": _iso(customer.created_at),
        },
        "relation": {"source": relation.source, "since": _iso(relation.created_at)},
        "consents": [
            {
                "purpose": consent.purpose,
                "granted": consent.granted,
                "at": _iso(consent.at),
                "source": consent.source,
            }
            for consent in consents
        ],
        "notes": [{"text": note.text, "at": _iso(note.created_at)} for note in notes],
        "orders": _orders_export(orders, {house.pk: house.name}),
    }


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


def customer_house_erase(*, house: House, actor, customer: Customer) -> Customer:
    """A house erases a customer it knows (the office's "anonymise"): the person is
    removed from the whole cluster, as `customer_erase` does, since the customer is
    one person shared by the cluster. Each house that knew them gets an entry in its
    own audit log. NotFound when `house` does not know the customer; the caller
    checks CUSTOMER_ERASE.
    """
    customer = customer_get(house=house, pk=customer.pk)
    with transaction.atomic(durable=True):
        houses = _houses_knowing(customer)
        orders = _all_orders_of(customer).count()
        customer = customer_erase(customer=customer, actor=actor)
        for house_id in sorted(houses):
            audit_log(
                action="podium.customers.customer.erased",
                obj=customer,
                actor=actor,
                data={"customer": customer.pk, "orders": orders, "by": house.name},
                house_id=house_id,
            )
    return customer


# ------------------------------------------------------------------ retention


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _houses_knowing(customer: Customer) -> set[int]:
    """Every house with a relation, an order or a consent of `customer`."""
    houses = set(
        CustomerRelation._base_manager.filter(customer=customer).values_list(
            "house_id", flat=True
        )
    )
    houses |= set(_all_orders_of(customer).values_list("house_id", flat=True))
    houses |= set(
        Consent._base_manager.filter(customer=customer).values_list(
            "house_id", flat=True
        )
    )
    return houses


def customer_last_activity(customer: Customer) -> datetime:
    """The customer's last sign of life anywhere in the cluster: the latest of the
    last order (any house), last sign-in, newest relation, newest consent choice and
    the account's creation."""
    moments = [
        customer.created_at,
        customer.last_login,
        _all_orders_of(customer).aggregate(last=Max("created_at"))["last"],
        CustomerRelation._base_manager.filter(customer=customer).aggregate(
            last=Max("created_at")
        )["last"],
        Consent._base_manager.filter(customer=customer).aggregate(last=Max("at"))[
            "last"
        ],
    ]
    return max(moment for moment in moments if moment is not None)


@dataclass(frozen=True)
class RetentionResult:
    due: list[int]  # customer ids anonymised (or, on a dry run, that would be)
    dry_run: bool


def customers_retention_due(*, now: datetime | None = None) -> list[Customer]:
    """The customers that every house knowing them would now anonymise.

    A customer is shared by the cluster, so one house's retention is not enough:
    a customer is due only when EVERY house that knows them (a relation, an order
    or a consent) has a retention setting, and their last activity anywhere in the
    cluster (`customer_last_activity`) is older than the LONGEST of those
    settings. A house without a setting keeps its customers, and so keeps them for
    the whole cluster. Customers no house knows (an account only) are left alone.
    """
    now = now or timezone.now()
    years = dict(
        PrivacySettings._base_manager.filter(
            customer_retention_years__isnull=False
        ).values_list("house_id", "customer_retention_years")
    )
    if not years:
        return []
    shortest = _years_before(now, min(years.values()))
    candidates = (
        Customer.objects.filter(relations__house_id__in=list(years))
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=shortest))
        .filter(created_at__lt=shortest)
        .distinct()
        .order_by("pk")
    )
    due = []
    for customer in candidates:
        houses = _houses_knowing(customer)
        if not houses or any(house_id not in years for house_id in houses):
            continue
        cutoff = _years_before(now, max(years[house_id] for house_id in houses))
        if customer_last_activity(customer) < cutoff:
            due.append(customer)
    return due


def customers_retention_apply(
    *, now: datetime | None = None, dry_run: bool = False
) -> RetentionResult:
    """Anonymise every customer `customers_retention_due` names (see there for the
    rule), one transaction each, with an entry in each knowing house's audit log.
    A dry run only lists them. Runs across houses: call it in the platform scope.
    """
    due = customers_retention_due(now=now)
    if dry_run:
        return RetentionResult(due=[c.pk for c in due], dry_run=True)
    for customer in due:
        with transaction.atomic():
            houses = _houses_knowing(customer)
            orders = _all_orders_of(customer).count()
            customer_erase(customer=customer, actor=None)
            for house_id in sorted(houses):
                audit_log(
                    action="podium.customers.customer.erased",
                    obj=customer,
                    actor=None,
                    data={"customer": customer.pk, "orders": orders, "by": "retention"},
                    house_id=house_id,
                )
    return RetentionResult(due=[c.pk for c in due], dry_run=False)
