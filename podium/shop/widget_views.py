"""The embeddable widget: a house's agenda, or one production's ticket button, framed
by the house's own website (widget.js inserts the iframe).

Only these pages may be framed by other sites: they are exempt from X-Frame-Options
and say `frame-ancestors *`; every other shop page keeps refusing to be framed.
Links open the shop in a new tab, so the purchase happens on the shop itself.
"""

from functools import wraps

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from podium.catalog.selectors import (
    public_performances,
    public_productions,
)
from podium.sales.selectors import performances_availability
from podium.sales.tickets.pdf import band_text_colour

from .session import house_or_404

AGENDA_LIMIT = 12
BUTTON_DATES = 3


def frameable(view):
    """Let any site frame `view`: no X-Frame-Options, CSP frame-ancestors *."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = "frame-ancestors *"
        return response

    return xframe_options_exempt(wrapper)


def _with_availability(performances) -> list[tuple]:
    availability = performances_availability(performances=performances)
    return [(p, availability[p.pk]) for p in performances]


def _render(request, template: str, house, context: dict):
    return TemplateResponse(
        request,
        template,
        {"house": house, "brand_text": band_text_colour(house), **context},
    )


@frameable
@require_GET
def widget_agenda(request, house_slug: str):
    house = house_or_404(request, house_slug)
    performances = list(public_performances(houses=[house])[:AGENDA_LIMIT])
    return _render(
        request,
        "shop/widget_agenda.html",
        house,
        {"performances": _with_availability(performances)},
    )


@frameable
@require_GET
def widget_button(request, house_slug: str, production: str):
    house = house_or_404(request, house_slug)
    productions = public_productions(cluster=request.cluster, house=house)
    found = (
        productions.filter(pk=int(production)).first()
        if production.isdigit()
        else productions.filter(slug=production).first()
    )
    if found is None:
        raise Http404()
    performances = list(
        public_performances(houses=[house]).filter(production=found)[:BUTTON_DATES]
    )
    return _render(
        request,
        "shop/widget_button.html",
        house,
        {"production": found, "performances": _with_availability(performances)},
    )
