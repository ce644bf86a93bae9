"""The audit log of the house: who changed what and when, filterable, as CSV too."""

import csv
import json
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.catalog.models import Performance
from podium.core.audit import AuditFilters, audit_entries
from podium.sales.models import Order
from podium.tenancy.permissions import Action

from .access import office_view
from .flow import render
from .privacy_forms import AuditFilterForm

PAGE_SIZE = 50
CSV_LIMIT = 10_000

# Action → what happened, in a few words; an unknown action shows its code.
ACTION_LABELS = {
    "podium.sales.order.placed": gettext_lazy("Order placed"),
    "podium.sales.order.paid": gettext_lazy("Order paid"),
    "podium.sales.order.cancelled": gettext_lazy("Order cancelled"),
    "podium.sales.order.expired": gettext_lazy("Order expired"),
    "podium.sales.order.refunded": gettext_lazy("Order refunded"),
    "podium.sales.order.partially_refunded": gettext_lazy("Order partly refunded"),
    "podium.sales.order.exchanged": gettext_lazy("Tickets exchanged"),
    "podium.sales.order.confirmation_resent": gettext_lazy("Confirmation resent"),
    "podium.sales.ticket.exchanged": gettext_lazy("Ticket exchanged"),
    "podium.sales.ticket.holder_renamed": gettext_lazy("Ticket holder renamed"),
    "podium.sales.ticket.reissued": gettext_lazy("Ticket reissued"),
    "podium.sales.reservation.created": gettext_lazy("Reservation made"),
    "podium.sales.reservation.released": gettext_lazy("Reservation released"),
    "podium.sales.hold.created": gettext_lazy("Places held"),
    "podium.sales.hold.released": gettext_lazy("Held places released"),
    "podium.sales.hold.expired": gettext_lazy("Held places expired"),
    "podium.sales.payment.created": gettext_lazy("Payment started"),
    "podium.sales.payment.paid": gettext_lazy("Payment received"),
    "podium.sales.payment.failed": gettext_lazy("Payment failed"),
    "podium.sales.payment.flagged": gettext_lazy("Payment flagged"),
    "podium.sales.bank_transaction.imported": gettext_lazy("Bank transfer imported"),
    "podium.sales.register_closing.created": gettext_lazy("Cash register closed"),
    "podium.sales.refund.created": gettext_lazy("Refund started"),
    "podium.sales.refund.done": gettext_lazy("Refund done"),
    "podium.sales.refund.failed": gettext_lazy("Refund failed"),
    "podium.sales.performance_cancellation.started": gettext_lazy(
        "Performance cancellation started"
    ),
    "podium.sales.tariff.created": gettext_lazy("Tariff added"),
    "podium.sales.tariff.changed": gettext_lazy("Tariff changed"),
    "podium.sales.price_category.created": gettext_lazy("Price category added"),
    "podium.sales.price_list.customized": gettext_lazy("Prices customised"),
    "podium.sales.quota.created": gettext_lazy("Quota added"),
    "podium.sales.quota.changed": gettext_lazy("Quota changed"),
    "podium.sales.settings.changed": gettext_lazy("Sales settings changed"),
    "podium.sales.signingkey.created": gettext_lazy("Ticket signing key made"),
    "podium.catalog.production.created": gettext_lazy("Production created"),
    "podium.catalog.production.changed": gettext_lazy("Production changed"),
    "podium.catalog.production.duplicated": gettext_lazy("Production duplicated"),
    "podium.catalog.performance.created": gettext_lazy("Performance scheduled"),
    "podium.catalog.performance.changed": gettext_lazy("Performance changed"),
    "podium.catalog.production_image.added": gettext_lazy("Image added"),
    "podium.catalog.video.added": gettext_lazy("Video added"),
    "podium.catalog.press_quote.added": gettext_lazy("Press quote added"),
    "podium.seating.plan.created": gettext_lazy("Seat plan made"),
    "podium.seating.plan.changed": gettext_lazy("Seat plan changed"),
    "podium.seating.performance.set_up": gettext_lazy("Seating set up"),
    "podium.seating.seats.blocked": gettext_lazy("Seats blocked"),
    "podium.seating.seats.unblocked": gettext_lazy("Seats unblocked"),
    "podium.checkin.scan.displaced": gettext_lazy("Scan corrected"),
    "podium.tenancy.staff_role.granted": gettext_lazy("Role given"),
    "podium.tenancy.staff_role.revoked": gettext_lazy("Role taken away"),
    "podium.tenancy.staff_role.changed": gettext_lazy("Role changed"),
    "podium.tenancy.api_key.created": gettext_lazy("API key made"),
    "podium.tenancy.api_key.revoked": gettext_lazy("API key revoked"),
    "podium.tenancy.hall.created": gettext_lazy("Hall added"),
    "podium.tenancy.house.changed": gettext_lazy("House settings changed"),
    "podium.customers.customer.created": gettext_lazy("Customer added"),
    "podium.customers.customer.linked": gettext_lazy("Customer linked to the house"),
    "podium.customers.customer.updated": gettext_lazy("Customer changed"),
    "podium.customers.customer.erased": gettext_lazy("Customer anonymised"),
    "podium.customers.note.added": gettext_lazy("Note added"),
    "podium.customers.privacy.changed": gettext_lazy("Privacy settings changed"),
}

# The words a clerk types before a number in the object filter → the object type.
OBJECT_WORDS = {
    "order": "sales.order",
    "bestelling": "sales.order",
    "commande": "sales.order",
    "performance": "catalog.performance",
    "voorstelling": "catalog.performance",
    "représentation": "catalog.performance",
    "production": "catalog.production",
    "productie": "catalog.production",
    "tariff": "sales.tariff",
    "quota": "sales.quota",
}


def _object_filter(house, text: str) -> tuple[str, str]:
    """("sales.order", "42") from "order ABC123"; an order's code becomes its id."""
    word, _sep, value = text.strip().partition(" ")
    object_type = OBJECT_WORDS.get(word.lower(), word.lower())
    value = value.strip()
    if object_type == "sales.order" and value:
        found = Order.objects.filter(house=house, code__iexact=value).first()
        value = str(found.pk) if found else ("0" if not value.isdigit() else value)
    return object_type, value


def _filters(request, form) -> AuditFilters | None:
    """The filters asked for; None when the form is invalid (show nothing)."""
    if not form.is_bound:
        return AuditFilters(timezone=request.house.timezone)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    object_type, object_id = _object_filter(request.house, data["object"] or "")
    return AuditFilters(
        group=data["group"],
        actor=data["actor"].strip(),
        object_type=object_type,
        object_id=object_id,
        date_from=data["date_from"],
        date_to=data["date_to"],
        timezone=request.house.timezone,
    )


def _text(value) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{_text(value[0])} → {_text(value[1])}"
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def _links(house, entries) -> dict[tuple[str, str], str]:
    """(object type, id) → its office page, for the orders and performances shown."""
    ids: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_id.isdigit():
            ids.setdefault(entry.object_type, set()).add(int(entry.object_id))
    links = {}
    for pk, code in Order.objects.filter(
        house=house, pk__in=ids.get("sales.order", ())
    ).values_list("pk", "code"):
        links[("sales.order", str(pk))] = reverse("office:order-detail", args=[code])
    for pk, production in Performance.objects.filter(
        house=house, pk__in=ids.get("catalog.performance", ())
    ).values_list("pk", "production_id"):
        links[("catalog.performance", str(pk))] = reverse(
            "office:production-detail", args=[production]
        )
    for pk in ids.get("catalog.production", ()):
        links[("catalog.production", str(pk))] = reverse(
            "office:production-detail", args=[pk]
        )
    return links


def _rows(house, entries):
    links = _links(house, entries)
    return [
        {
            "entry": entry,
            "who": entry.actor_label or _("the system"),
            "what": ACTION_LABELS.get(entry.action, entry.action),
            "link": links.get((entry.object_type, entry.object_id)),
            "data": [(key, _text(value)) for key, value in entry.data.items()],
        }
        for entry in entries
    ]


def _csv_safe(value: str) -> str:
    # A spreadsheet must not run what a user typed as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv(request, entries) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    writer = csv.writer(response)
    writer.writerow(["at", "who", "action", "what", "object_type", "object_id", "data"])
    zone = ZoneInfo(request.house.timezone)
    for entry in entries[:CSV_LIMIT]:
        writer.writerow(
            [
                _csv_safe(value)
                for value in (
                    timezone.localtime(entry.at, zone).isoformat(),
                    entry.actor_label,
                    entry.action,
                    str(ACTION_LABELS.get(entry.action, entry.action)),
                    entry.object_type,
                    entry.object_id,
                    json.dumps(entry.data, ensure_ascii=False, sort_keys=True),
                )
            ]
        )
    return response


@office_view(Action.AUDIT_VIEW)
def audit_log_view(request):
    form = AuditFilterForm(request.GET or None)
    filters = _filters(request, form)
    entries = audit_entries(
        house_id=request.house.pk, filters=filters or AuditFilters()
    )
    if filters is None:
        entries = entries.none()
    if request.GET.get("format") == "csv":
        return _csv(request, entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "audit_log",
        form=form,
        page=page,
        rows=_rows(request.house, page.object_list),
        query=query.urlencode(),
    )
