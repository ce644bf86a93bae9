"""A production's own page: everything a house's website agenda shows, and tickets.

`/<house>/<production>/` shows the content entered once in the office (images, video,
artists, press, practical information), every coming public performance with its status,
price range, tickets link and calendar file, schema.org Event data, sharing links and
recommendations. Old links by id (`/productie/<pk>/`) redirect to it.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from podium.catalog.ics import CalendarEvent, calendar_text
from podium.catalog.models import Performance, Production
from podium.catalog.public_pages import public_production_by_pk, public_production_get
from podium.catalog.selectors import public_performances
from podium.core.errors import NotFound
from podium.core.i18n import localize
from podium.core.sanitize import clean_html
from podium.core.text import plain
from podium.sales.agenda_prices import few_left, performance_price_ranges
from podium.sales.recommendations import recommended_productions
from podium.sales.selectors import (
    Availability,
    AvailabilityReason,
    performances_availability,
)

from .jsonld import PerformanceOffer, production_events, script_json
from .page_cache import shared_page

# "Few left" once no more than this share of the hall is left, and never above the cap.
RECOMMENDATIONS_SECONDS = 10 * 60


@dataclass
class PerformanceRow:
    performance: Performance
    badge: str  # on_sale, few_left, sold_out, not_started, not_on_sale, ended, …
    sales_start: object  # the datetime sales open, for "not yet on sale"
    low: Decimal | None
    high: Decimal | None

    @property
    def buyable(self) -> bool:
        return self.badge in ("on_sale", "few_left")


@shared_page
def production_page(request, house_slug: str, production_slug: str):
    try:
        production = public_production_get(
            cluster=request.cluster, house_slug=house_slug, slug=production_slug
        )
    except NotFound as error:
        raise Http404(str(error)) from error
    performances = list(
        public_performances(houses=[production.house]).filter(production=production)
    )
    rows = _rows(performances)
    recommendations = _recommendations(request.cluster, production)
    page_url = request.build_absolute_uri()
    images = [_picture(request, image) for image in production.images.all()]
    return TemplateResponse(
        request,
        "shop/production_detail.html",
        {
            "house": production.house,
            "production": production,
            "rows": rows,
            "images": images,
            "videos": [
                {"url": v.url, "title": localize(v.title), "host": _host(v.url)}
                for v in production.videos.all()
            ],
            # Sanitised when saved; cleaned again here, as the office does.
            "description_html": mark_safe(  # noqa: S308 - nh3 keeps a safe subset
                clean_html(localize(production.description))
            ),
            "venues": _venues(performances),
            "recommendations": recommendations,
            "page_url": page_url,
            "share_text": localize(production.title),
            "description_text": _summary(production),
            "json_ld": script_json(
                production_events(
                    production=production,
                    performances=performances,
                    offers=_offers(request, rows),
                    page_url=page_url,
                    image_urls=[image["url"] for image in images],
                    language=translation.get_language(),
                )
            ),
        },
    )


def production_by_id(request, pk: int):
    """Short links by id lead, permanently, to the readable address."""
    try:
        production = public_production_by_pk(cluster=request.cluster, pk=pk)
    except NotFound as error:
        raise Http404(str(error)) from error
    return redirect(production_url(production), permanent=True)


def performance_ics(request, pk: int):
    """One public performance as a calendar file (.ics), in the visitor's language."""
    performance = (
        public_performances(houses=request.cluster)
        .select_related("hall__venue")
        .filter(pk=pk)
        .first()
    )
    if performance is None:
        raise Http404(_("This performance is not in our programme."))
    production, venue = performance.production, performance.hall.venue
    title = localize(production.title)
    event = CalendarEvent(
        uid=f"performance-{performance.pk}@podium",
        starts_at=performance.starts_at,
        ends_at=performance.ends_at,
        summary=title,
        location=(
            f"{performance.hall.name}, {venue.name}, {venue.street}, "
            f"{venue.postal_code} {venue.city}"
        ),
        description=plain(localize(production.subtitle)),
        url=request.build_absolute_uri(
            production_url(production, house=performance.house)
        ),
        cancelled=performance.status == Performance.Status.CANCELLED,
    )
    response = HttpResponse(
        calendar_text([event], now=timezone.now()),
        content_type="text/calendar; charset=utf-8",
    )
    zone = ZoneInfo(performance.house.timezone)
    day = timezone.localtime(performance.starts_at, zone).strftime("%Y-%m-%d")
    name = slugify(title)[:40] or "podium"
    response["Content-Disposition"] = f'attachment; filename="{name}-{day}.ics"'
    return response


def production_url(production: Production, *, house=None) -> str:
    house = house or production.house
    return reverse("shop:production", args=[house.slug, production.slug])


def _recommendations(cluster, production: Production) -> list[Production]:
    """What buyers of this production also bought; slow to change, so cached a while."""
    key = f"podium:shop:recommendations:{cluster.pk}:{production.pk}"
    found = cache.get(key)
    if found is None:
        found = recommended_productions(production=production, houses=cluster)
        prefetch_related_objects(found, "images")
        cache.set(key, found, RECOMMENDATIONS_SECONDS)
    return found


def _rows(performances: list[Performance]) -> list[PerformanceRow]:
    availability = performances_availability(performances=performances)
    ranges = performance_price_ranges(performances=performances)
    rows = []
    for performance in performances:
        shown = ranges.get(performance.pk)
        rows.append(
            PerformanceRow(
                performance=performance,
                badge=_badge(performance, availability[performance.pk]),
                sales_start=performance.sales_start,
                low=shown.low if shown else None,
                high=shown.high if shown else None,
            )
        )
    return rows


def _badge(performance: Performance, availability: Availability) -> str:
    if performance.status in (Performance.Status.POSTPONED, Performance.Status.MOVED):
        return performance.status
    if performance.status == Performance.Status.SOLD_OUT:
        return AvailabilityReason.SOLD_OUT
    reason = availability.reason
    if reason == AvailabilityReason.ON_SALE:
        if few_left(availability.available, performance.hall.capacity):
            return "few_left"
        return reason
    return str(reason)


def _offers(request, rows: list[PerformanceRow]) -> dict[int, PerformanceOffer]:
    return {
        row.performance.pk: PerformanceOffer(
            reason="on_sale" if row.buyable else row.badge,
            low=row.low,
            high=row.high,
            url=request.build_absolute_uri(
                reverse("shop:performance", args=[row.performance.pk])
            ),
        )
        for row in rows
    }


def _picture(request, image) -> dict:
    """An image with its absolute URL and, when the file can be read, its size."""
    try:
        width, height = image.image.width, image.image.height
    except (OSError, ValueError):  # a missing or unreadable file: no size
        width = height = None
    return {
        "image": image,
        "url": request.build_absolute_uri(image.image.url),
        "width": width,
        "height": height,
    }


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _venues(performances: list[Performance]) -> list:
    """The venues the production plays in, each once, in order of first performance."""
    seen = {}
    for performance in performances:
        seen.setdefault(performance.hall.venue_id, performance.hall.venue)
    return list(seen.values())


def _summary(production: Production) -> str:
    text = plain(localize(production.description)) or plain(
        localize(production.subtitle)
    )
    return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + "…"
