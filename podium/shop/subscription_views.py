"""Subscriptions in the shop: the list on sale, composing one, its seats held.

1. `subscription_list`: the types on sale in the cluster (or one house: ?huis=).
2. `subscription_compose_page`: tariff, people and performances; "Calculate"
   re-renders with the total and the saving (the service's quote), "Take the best
   seats" claims every performance at once (all or nothing) into the visitor's
   basket at the house; a same-seat series, once priced, shows its plan to pick
   the seats free at every performance.
3. `subscription_held`: the seats held per performance, then on to the ordinary
   checkout, where the visitor pays once for the whole subscription.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from podium.catalog.selectors import public_houses
from podium.core.errors import DomainError, NotFound
from podium.passes.errors import PassesError, PassesErrorCode
from podium.passes.models import SubscriptionType
from podium.passes.seats import series_picked, series_plan_seats
from podium.passes.selectors import (
    subscription_get_held,
    subscription_type_get_on_sale,
    subscription_type_list_on_sale,
    subscription_type_performances,
)
from podium.passes.services import (
    subscription_claim,
    subscription_compose,
    subscription_release,
)
from podium.sales.models import Hold
from podium.sales.services.inventory import seat_labels
from podium.seating import selectors as seating
from podium.seating.render import render_for

from .session import current_customer, house_or_404, visitor_basket
from .subscription_forms import SubscriptionComposeForm
from .waiting_views import house_waiting_room_gate


def subscription_list(request):
    houses = public_houses(cluster=request.cluster)
    house = None
    if request.GET.get("huis"):
        house = houses.filter(slug=request.GET["huis"]).first()
        if house is None:
            raise Http404(_("This house is not in our programme."))
        houses = [house]
    types = subscription_type_list_on_sale(houses=houses)
    return TemplateResponse(
        request, "shop/subscription_list.html", {"types": types, "house": house}
    )


def _type(house, pk: int) -> SubscriptionType:
    try:
        return subscription_type_get_on_sale(house=house, pk=pk)
    except NotFound as error:
        raise Http404(str(error)) from error


@require_http_methods(["GET", "POST"])
@house_waiting_room_gate
def subscription_compose_page(request, house_slug: str, pk: int):
    house = house_or_404(request, house_slug)
    type_ = _type(house, pk)
    offered = subscription_type_performances(type=type_)
    form = SubscriptionComposeForm(
        request.POST if request.method == "POST" else None,
        type=type_,
        offered=offered,
        language=request.LANGUAGE_CODE,
    )
    composition, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            composition = subscription_compose(
                house=house,
                type=type_,
                tariff=form.chosen_tariff(),
                performance_ids=form.cleaned_data["performances"],
                quantity=form.cleaned_data["quantity"],
                customer=current_customer(request),
            )
            if form.claiming():
                subscription = subscription_claim(
                    house=house,
                    actor=None,
                    basket=visitor_basket(request, house, create=True),
                    composition=composition,
                    seats=_picked(form, composition),
                )
                return redirect(
                    "shop:subscription-held", house_slug=house.slug, pk=subscription.pk
                )
        except DomainError as error:
            form.add_error(
                error.field if error.field in ("quantity", "tariff") else None,
                str(error),
            )
            status = 409 if error.conflict else 200
    return TemplateResponse(
        request,
        "shop/subscription_compose.html",
        {
            "house": house,
            "type": type_,
            "offered": offered,
            "form": form,
            "checked": form.checked(),
            "composition": composition,
            "prices": _prices(composition),
            "choice": type_.kind == SubscriptionType.Kind.CHOICE,
            **_series_plan(request, type_, composition, form),
        },
        status=status,
    )


def _picked(form, composition) -> list[int] | None:
    picked = form.picked_seats()
    if picked is None:
        return None
    if not picked:
        raise PassesError(
            _("Choose your seats on the plan."),
            code=PassesErrorCode.INVALID,
            field="seats",
        )
    return series_picked(performance=composition.performances[0], seat_ids=picked)


def _series_plan(request, type_, composition, form) -> dict:
    """A same-seat series once priced: its plan, to pick the seats that are free at
    every performance (the best are taken otherwise)."""
    if not type_.same_seat or composition is None:
        return {}
    first = composition.performances[0]
    seating_row = seating.performance_seating(performance=first)
    if seating_row is None:
        return {}
    seats = series_plan_seats(
        performances=composition.performances, references=composition.references
    )
    return {
        "series_svg": render_for(
            seats,
            prices=seating.zone_prices(seating=seating_row),
            language=request.LANGUAGE_CODE,
            label=_("Seat plan of %(hall)s") % {"hall": first.hall.name},
        ),
        "series_legend": seating.zone_legend(
            seating=seating_row, language=request.LANGUAGE_CODE
        ),
        "series_max": form.cleaned_data.get("quantity") or 1,
    }


def _prices(composition) -> dict[int, object]:
    """Performance id → its price in the subscription (for one person)."""
    if composition is None:
        return {}
    quote = composition.quote
    return dict(zip(quote.performance_ids, quote.prices, strict=True))


def _held(request, house, pk: int):
    try:
        return subscription_get_held(
            house=house, basket=visitor_basket(request, house, create=False), pk=pk
        )
    except NotFound as error:
        raise Http404(str(error)) from error


def subscription_held(request, house_slug: str, pk: int):
    house = house_or_404(request, house_slug)
    subscription = _held(request, house, pk)
    holds = list(subscription.holds.all())
    labels = seat_labels(
        seat_ids=[seat for hold in holds for seat in hold.seat_ids],
        language=request.LANGUAGE_CODE,
    )
    now = timezone.now()
    lines = [
        {
            "performance": hold.performance,
            "price": hold.unit_price,
            "seats": [labels.get(seat, "") for seat in hold.seat_ids],
            "held": hold.state == Hold.State.HELD and hold.expires_at > now,
        }
        for hold in holds
    ]
    complete = all(line["held"] for line in lines)
    return TemplateResponse(
        request,
        "shop/subscription_held.html",
        {
            "house": house,
            "subscription": subscription,
            "lines": lines,
            "complete": complete,
        },
    )


@require_POST
def subscription_remove(request, house_slug: str, pk: int):
    house = house_or_404(request, house_slug)
    subscription = _held(request, house, pk)
    subscription_release(house=house, actor=None, subscription=subscription)
    messages.success(request, _("The subscription was removed from your basket."))
    return redirect(
        "shop:subscription-compose", house_slug=house.slug, pk=subscription.type_id
    )
