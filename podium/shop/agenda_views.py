"""The agenda: a cluster's (or one house's) coming performances as a list by day or
as a month calendar, with search and filters sent by GET (works without JavaScript)."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.catalog.agenda import AgendaFilters, agenda, agenda_facets, agenda_queryset
from podium.catalog.models import Performance
from podium.sales.agenda_prices import (
    AgendaBadge,
    PriceRange,
    performance_badges,
    performance_price_ranges,
    performances_up_to_price,
)

from .agenda_forms import AgendaFilterForm, month_from
from .page_cache import shared_page
from .session import house_or_404

PAGE_SIZE = 30


@dataclass
class AgendaItem:
    performance: Performance
    day: date  # in the shop's time zone
    url: str
    price: PriceRange | None
    badge: AgendaBadge


@shared_page
def agenda_list(request, house_slug: str | None = None):
    house, form, houses, filters = _filters(request, house_slug)
    found = agenda_queryset(houses=houses, filters=filters)
    if filters.max_price is not None:  # prices decide: filter the whole agenda
        found = _up_to_price(agenda(houses=houses, filters=filters), filters)
    # Otherwise the database counts and slices: only one page is loaded and priced.
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    shown = list(page.object_list)
    ranges = performance_price_ranges(performances=shown)
    context = _context(request, house, form, "list")
    page.object_list = _items(shown, ranges)
    context.update(page=page)
    return TemplateResponse(request, "shop/agenda_list.html", context)


@shared_page
def agenda_calendar(request, house_slug: str | None = None):
    today = timezone.localdate()
    month, valid = month_from(request.GET.get("maand"), today)
    if not valid:
        messages.error(request, _("That is not a month; here is this month instead."))
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    house, form, performances, ranges = _agenda(
        request, house_slug, date_from=month, date_to=last, in_calendar=True
    )
    items = _items(performances, ranges)
    by_day: dict[date, list[AgendaItem]] = {}
    for item in items:
        by_day.setdefault(item.day, []).append(item)
    weeks = [
        [(day, day.month == month.month, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar().monthdatescalendar(month.year, month.month)
    ]
    context = _context(request, house, form, "calendar")
    context.update(
        month=month,
        weeks=weeks,
        weekdays=weeks[0],
        has_performances=bool(items),
        previous_month=(month - timedelta(days=1)).replace(day=1)
        if month > today.replace(day=1)
        else None,
        next_month=last + timedelta(days=1),
    )
    return TemplateResponse(request, "shop/agenda_calendar.html", context)


def _agenda(request, house_slug, *, date_from=None, date_to=None, in_calendar=False):
    """The house (or None), the bound form, the matching performances and prices."""
    house, form, houses, filters = _filters(
        request,
        house_slug,
        date_from=date_from,
        date_to=date_to,
        in_calendar=in_calendar,
    )
    performances = agenda(houses=houses, filters=filters)
    ranges = performance_price_ranges(performances=performances)
    if filters.max_price is not None:
        performances = performances_up_to_price(
            performances=performances, max_price=filters.max_price, ranges=ranges
        )
    return house, form, performances, ranges


def _up_to_price(performances, filters: AgendaFilters):
    ranges = performance_price_ranges(performances=performances)
    return performances_up_to_price(
        performances=performances, max_price=filters.max_price, ranges=ranges
    )


def _filters(request, house_slug, *, date_from=None, date_to=None, in_calendar=False):
    """The house (or None), the bound form, the houses to show and the filters."""
    house = _house(request, house_slug)
    houses = [house] if house else request.cluster
    form = AgendaFilterForm(
        request.GET, facets=agenda_facets(houses=houses), one_house=bool(house)
    )
    if in_calendar:
        del form.fields["van"], form.fields["tot"]
    filters = form.filters()
    if in_calendar:
        filters = _with_dates(filters, date_from, date_to)
    if form.errors:
        messages.error(request, _("Some filters could not be used; see below."))
    return house, form, houses, filters


def _with_dates(filters: AgendaFilters, date_from, date_to) -> AgendaFilters:
    fields = {**filters.__dict__, "date_from": date_from, "date_to": date_to}
    return AgendaFilters(**fields)


def _house(request, house_slug):
    return None if house_slug is None else house_or_404(request, house_slug)


def _items(performances, ranges) -> list[AgendaItem]:
    badges = performance_badges(performances=performances)
    return [
        AgendaItem(
            p,
            timezone.localdate(p.starts_at),
            _detail_url(p),
            ranges.get(p.pk),
            badges[p.pk],
        )
        for p in performances
    ]


def _detail_url(performance: Performance) -> str:
    """The production's page where the shop has one, else the performance's."""
    try:
        return reverse(
            "shop:production",
            args=[performance.house.slug, performance.production.slug],
        )
    except NoReverseMatch:
        return reverse("shop:performance", args=[performance.pk])


def _context(request, house, form, view: str) -> dict:
    if house:
        list_url = reverse("shop:house-agenda", args=[house.slug])
        calendar_url = reverse("shop:house-agenda-calendar", args=[house.slug])
    else:
        list_url = reverse("shop:agenda")
        calendar_url = reverse("shop:agenda-calendar")
    return {
        "cluster": request.cluster,
        "house": house,
        "form": form,
        "view": view,
        "list_url": list_url,
        "calendar_url": calendar_url,
    }
