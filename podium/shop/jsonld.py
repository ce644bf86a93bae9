"""schema.org Event data for a production page, for search engines and calendars.

`production_events` is a pure function of what the page already read: one Event per
coming performance. `script_json` serialises it for a <script type="application/ld+json">
element, with <, > and & escaped as JSON unicode escapes so that no text (a title with
"</script>" in it, say) can close the element.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from podium.catalog.models import Performance, Production
from podium.core.i18n import localize
from podium.core.text import plain

SCHEMA = "https://schema.org/"

EVENT_STATUS = {
    Performance.Status.CANCELLED: "EventCancelled",
    Performance.Status.POSTPONED: "EventPostponed",
    Performance.Status.MOVED: "EventRescheduled",
}

# Availability reasons (sales.selectors.AvailabilityReason) as schema.org ItemAvailability.
OFFER_AVAILABILITY = {
    "on_sale": "InStock",
    "sold_out": "SoldOut",
    "not_started": "PreOrder",
    "not_on_sale": "PreOrder",
    "ended": "OutOfStock",
    "postponed": "OutOfStock",
    "moved": "OutOfStock",
    "cancelled": "Discontinued",
}

_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class PerformanceOffer:
    """What the page knows about selling one performance."""

    reason: str  # an AvailabilityReason value
    low: Decimal | None
    high: Decimal | None
    url: str


def production_events(
    *,
    production: Production,
    performances: list[Performance],
    offers: dict[int, PerformanceOffer],
    page_url: str,
    image_urls: list[str],
    language: str,
) -> list[dict]:
    """One schema.org Event per performance, in `language` (with the usual fallback)."""
    name = localize(production.title, language)
    description = plain(localize(production.description, language)) or plain(
        localize(production.subtitle, language)
    )
    performers = [
        {"@type": "PerformingGroup", "name": artist.name}
        for artist in production.artists.all()
    ]
    house = production.house
    organizer = {"@type": "Organization", "name": house.name}
    if house.website:
        organizer["url"] = house.website
    events = []
    for performance in performances:
        event = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": name,
            "startDate": performance.starts_at.isoformat(),
            "endDate": performance.ends_at.isoformat(),
            "eventStatus": SCHEMA
            + EVENT_STATUS.get(performance.status, "EventScheduled"),
            "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
            "location": _place(performance),
            "organizer": organizer,
            "url": page_url,
        }
        if description:
            event["description"] = description
        if image_urls:
            event["image"] = image_urls
        if performers:
            event["performer"] = performers
        if production.age_min is not None:
            event["typicalAgeRange"] = (
                f"{production.age_min}-{production.age_max}"
                if production.age_max is not None
                else f"{production.age_min}-"
            )
        offer = offers.get(performance.pk)
        if offer is not None and offer.low is not None:
            event["offers"] = _offers(performance, offer)
        events.append(event)
    return events


def _place(performance: Performance) -> dict:
    venue = performance.hall.venue
    return {
        "@type": "Place",
        "name": f"{venue.name}, {performance.hall.name}",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.street,
            "postalCode": venue.postal_code,
            "addressLocality": venue.city,
            "addressCountry": venue.country,
        },
    }


def _offers(performance: Performance, offer: PerformanceOffer) -> dict:
    data = {
        "@type": "AggregateOffer",
        "lowPrice": str(offer.low),
        "highPrice": str(offer.high),
        "priceCurrency": "EUR",
        "availability": SCHEMA + OFFER_AVAILABILITY.get(offer.reason, "InStock"),
        "url": offer.url,
    }
    if performance.sales_start:
        data["validFrom"] = performance.sales_start.isoformat()
    return data


def script_json(data) -> SafeString:
    """JSON that is safe inside a <script> element of any type."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308 - <, >, & escaped
