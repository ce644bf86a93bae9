"""The one permission function: may this actor do this action in this house?

Every office view and API endpoint asks `can()` (or `require()`); the answer comes
from the role × action table below and nowhere else.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from podium.core.errors import PermissionDenied

from .models import ApiKey, House, StaffRole

Role = StaffRole.Role


class Action(models.TextChoices):
    OFFICE_VIEW = "office.view", _("Open the office")
    PRODUCTION_VIEW = "catalog.production.view", _("See productions and performances")
    PRODUCTION_CREATE = (
        "catalog.production.create",
        _("Create and duplicate productions"),
    )
    PRODUCTION_EDIT = "catalog.production.edit", _("Edit production content")
    PERFORMANCE_SCHEDULE = (
        "catalog.performance.schedule",
        _("Schedule and move performances"),
    )
    PERFORMANCE_STATUS = (
        "catalog.performance.status",
        _("Change performance status and sales window"),
    )
    VENUE_VIEW = "tenancy.venue.view", _("See venues and halls")
    VENUE_MANAGE = "tenancy.venue.manage", _("Manage venues and halls")
    HOUSE_EDIT = "tenancy.house.edit", _("Edit the house's settings")
    STAFF_MANAGE = "tenancy.staff.manage", _("Manage staff and roles")
    PRICE_EDIT = "sales.price.edit", _("Edit price lists and tariffs")
    QUOTA_EDIT = "sales.quota.edit", _("Edit capacity and quotas")
    ORDER_VIEW = "sales.order.view", _("Look up orders")
    ORDER_MANAGE = "sales.order.manage", _("Resend and cancel orders")
    ORDER_REFUND = "sales.order.refund", _("Refund orders and tickets")
    PERFORMANCE_CANCEL = (
        "sales.performance.cancel",
        _("Cancel a performance and refund its orders"),
    )
    SALES_SELL = "sales.sell", _("Sell tickets: baskets, holds and orders")
    ORDER_PAY = "sales.order.pay", _("Take payments for orders")
    TICKET_VERIFY = "sales.ticket.verify", _("Verify ticket codes")
    CHECKIN_SCAN = "checkin.scan", _("Scan tickets at the door")
    CUSTOMER_VIEW = "customers.customer.view", _("Find customers and read notes")
    CUSTOMER_MANAGE = (
        "customers.customer.manage",
        _("Create and edit customers and their notes"),
    )
    CUSTOMER_ERASE = (
        "customers.customer.erase",
        _("Anonymise a customer (GDPR erasure)"),
    )
    PRIVACY_MANAGE = (
        "customers.privacy.manage",
        _("Set data retention and read the processing register"),
    )
    AUDIT_VIEW = "core.audit.view", _("Read the audit log")


_EVERY_HOUSE_ROLE = {Action.OFFICE_VIEW, Action.PRODUCTION_VIEW, Action.VENUE_VIEW}
_SALES_DESK = {
    Action.PRICE_EDIT,
    Action.QUOTA_EDIT,
    Action.ORDER_VIEW,
    Action.ORDER_MANAGE,
    Action.ORDER_REFUND,
    Action.PERFORMANCE_CANCEL,
    Action.SALES_SELL,
    Action.ORDER_PAY,
    Action.TICKET_VERIFY,
    Action.CHECKIN_SCAN,
    Action.CUSTOMER_VIEW,
    Action.CUSTOMER_MANAGE,
}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.HOUSE_ADMIN: frozenset(Action),
    Role.PROGRAMMER: frozenset(
        _EVERY_HOUSE_ROLE
        | {
            Action.PRODUCTION_CREATE,
            Action.PRODUCTION_EDIT,
            Action.PERFORMANCE_SCHEDULE,
            Action.PERFORMANCE_STATUS,
        }
    ),
    Role.TICKETING: frozenset(
        _EVERY_HOUSE_ROLE | {Action.PERFORMANCE_STATUS} | _SALES_DESK
    ),
    Role.AUDIENCE: frozenset(
        _EVERY_HOUSE_ROLE
        | {Action.PRODUCTION_EDIT, Action.CUSTOMER_VIEW, Action.CUSTOMER_MANAGE}
    ),
    # Front of house: the production team often runs the door.
    Role.PRODUCTION: frozenset(
        _EVERY_HOUSE_ROLE | {Action.VENUE_MANAGE, Action.CHECKIN_SCAN}
    ),
    Role.CLUSTER_COORDINATOR: frozenset(_EVERY_HOUSE_ROLE),
}


def roles_in(user, house: House) -> frozenset[str]:
    """The roles `user` holds in `house`, a cluster coordinator's included (cached per user)."""
    if (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or house is None
    ):
        return frozenset()
    cache = user.__dict__.setdefault("_podium_roles", {})
    if house.pk not in cache:
        cache[house.pk] = frozenset(
            StaffRole.objects.filter(Q(house=house) | Q(cluster_id=house.cluster_id))
            .filter(user=user)
            .values_list("role", flat=True)
        )
    return cache[house.pk]


def can(user, action: Action | str, house: House | None) -> bool:
    """May `user` (a staff user, or an ApiKey) do `action` in `house`?

    A staff user may what their roles there grant; an API key only in its own house,
    while it is active, and only the actions listed in its scopes.
    """
    if house is None or not house.is_active:
        return False
    if isinstance(user, ApiKey):
        return (
            user.is_active
            and user.house_id == house.pk
            and str(action) in (user.scopes or [])
        )
    return any(action in ROLE_ACTIONS[role] for role in roles_in(user, house))


def require(user, action: Action | str, house: House | None) -> None:
    if not can(user, action, house):
        raise PermissionDenied(_("You may not do this in this house."))


def houses_for(user) -> list[House]:
    """Every active house where `user` holds a role, directly or through a cluster."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    roles = StaffRole.objects.filter(user=user)
    return list(
        House.objects.filter(is_active=True)
        .filter(
            Q(pk__in=roles.values("house")) | Q(cluster__in=roles.values("cluster"))
        )
        .select_related("cluster")
        .order_by("name")
    )
