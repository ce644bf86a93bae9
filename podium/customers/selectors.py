"""Reads on customers: always through a house, which sees only its own relations.

Name search ignores case and accents on every database: the query is folded to
plain letters and each letter becomes a class of its accented forms ("Celine" →
`c[eéèêë…]l[iíìîï…]n[eéèêë…]`, both cases), matched with the database's regular
expressions (PostgreSQL `~*`, SQLite through Django's REGEXP function). No database
extension (unaccent) is needed.
"""

import re

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from podium.core.errors import NotFound
from podium.core.text import fold
from podium.tenancy.models import House

from .lines import phone_core, phone_digits
from .models import Customer, CustomerNote

# Plain letter → the accented forms it stands for (lower and upper case).
_ACCENTS = {
    "a": "aàáâãäåāą",
    "c": "cçćč",
    "e": "eèéêëēėęě",
    "i": "iìíîïīį",
    "n": "nñńň",
    "o": "oòóôõöøō",
    "u": "uùúûüūů",
    "y": "yýÿ",
    "s": "sśš",
    "z": "zźżž",
    "l": "lł",
}
_REGEX_SPECIAL = set(r".^$*+?()[]{}|\-")
MIN_PHONE_QUERY = 3


def _letter_class(ch: str) -> str:
    if ch in _ACCENTS:
        forms = _ACCENTS[ch]
        return f"[{forms}{forms.upper()}]"
    if ch.isalpha():
        return f"[{ch}{ch.upper()}]"
    return f"\\{ch}" if ch in _REGEX_SPECIAL else ch


def name_pattern(word: str) -> str:
    """A case- and accent-blind regular expression for `word`."""
    return "".join(_letter_class(ch) for ch in fold(word))


def customers_of(*, house: House) -> QuerySet[Customer]:
    """The customers `house` knows (one relation each, so no duplicates)."""
    return Customer.objects.filter(cluster_id=house.cluster_id, relations__house=house)


def _matching(part: str) -> Q:
    if "@" in part:
        return Q(email__icontains=part)
    digits = phone_digits(part)
    if not re.search(r"[^\W\d_]", part) and len(digits.lstrip("+")) >= MIN_PHONE_QUERY:
        return Q(phone_digits__contains=phone_core(digits))
    words = part.split()
    by_name = Q()
    for word in words:
        by_name &= Q(name__regex=name_pattern(word))
    return by_name | Q(email__icontains=part)


def customer_search(*, house: House, query: str, limit: int = 20) -> list[Customer]:
    """The house's customers matching `query`, each with `order_count` (orders at
    this house): by name (any case, with or without accents), e-mail or phone
    ("0470123456" finds "0470 12 34 56" and "+32 470 12 34 56"). Parts separated by
    commas ("Jan Peeters, jan@example.be") each may match. Without a query: the
    customers the house met last."""
    found = customers_of(house=house)
    parts = [part.strip() for part in re.split(r"[,;]", query[:200]) if part.strip()]
    if parts:
        condition = Q()
        for part in parts:
            condition |= _matching(part)
        found = found.filter(condition).order_by("name", "pk")
    else:
        found = found.order_by("-relations__created_at", "-pk")
    return list(_with_order_count(found, house)[:limit])


def _with_order_count(customers: QuerySet[Customer], house: House):
    return customers.annotate(
        order_count=Count("orders", filter=Q(orders__house=house), distinct=True)
    )


def customer_get(*, house: House, pk: int) -> Customer:
    """A customer `house` knows; NotFound alike for a missing and an unrelated one."""
    customer = _with_order_count(customers_of(house=house), house).filter(pk=pk)
    found = customer.first()
    if found is None:
        raise NotFound(_("Customer not found."))
    return found


def customer_notes(*, house: House, customer: Customer) -> QuerySet[CustomerNote]:
    """The house's own notes on `customer`, newest first."""
    return CustomerNote.objects.filter(house=house, customer=customer).select_related(
        "author"
    )


def customer_orders(*, house: House, customer: Customer):
    """The orders `customer` placed at `house` (never another house's), newest first,
    each with `ticket_count`."""
    return (
        customer.orders.filter(house=house)
        .annotate(ticket_count=Count("tickets"))
        .order_by("-created_at", "-pk")
    )
