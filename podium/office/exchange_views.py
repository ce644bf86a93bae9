"""The order desk's exchange: tickets of a paid order for places at another show.

One page: pick the target performance (the production's other coming performances
first, or a typed search by title or date), then the tickets, their new tariffs (or
the seats on the plan, or best available), see the price difference and confirm.
Seats are held in a box-office basket through the seating app (sales may not import
it); `exchange_tickets` turns that basket into the new tickets.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.catalog import selectors as catalog
from podium.core.errors import DomainError, NotFound
from podium.sales import selectors as sales
from podium.sales.models import Order
from podium.sales.selectors import performances_availability
from podium.sales.services import exchange as exchanges
from podium.sales.services.baskets import basket_create, basket_get, basket_release
from podium.seating import selectors as seating
from podium.seating.services import basket_add_best_available, basket_add_seats
from podium.tenancy.permissions import Action

from .access import load, office_view
from .desk_views import seat_picker
from .exchange_forms import MAX_SEATS, ExchangeForm
from .flow import posted, render
from .templatetags.office import euro


def _candidates(request, order, query: str):
    """The production's other coming performances first, then what the search found."""
    now = timezone.now()
    valid = sales.order_valid_tickets(house=request.house, order=order)
    current = {ticket.performance_id for ticket in valid}
    productions = {ticket.performance.production_id for ticket in valid}
    found = [
        performance
        for production_id in sorted(productions)
        for performance in catalog.performance_list(house=request.house)
        .filter(production_id=production_id, starts_at__gt=now)
        .order_by("starts_at")
    ]
    if query:
        found += catalog.performance_search(house=request.house, query=query)
    seen, listed = set(current), []
    for performance in found:
        if performance.pk not in seen:
            seen.add(performance.pk)
            listed.append(performance)
    availability = performances_availability(performances=listed)
    return [(p, availability[p.pk]) for p in listed]


def _target(request):
    pk = request.POST.get("performance") or request.GET.get("performance")
    if not pk or not str(pk).isdigit():
        return None
    return load(catalog.performance_get, house=request.house, pk=int(pk))


def _form(request, order, performance):
    tickets = sales.order_valid_tickets(house=request.house, order=order)
    tariffs = exchanges.exchange_tariffs(performance=performance, order=order)
    seating_row = seating.performance_seating(performance=performance)
    seats = seating.performance_seats(performance=performance) if seating_row else []
    form = ExchangeForm(
        posted(request),
        tickets=tickets,
        tariffs=tariffs,
        defaults={
            t.pk: exchanges.exchange_tariff_default(ticket=t, tariffs=tariffs)
            for t in tickets
        },
        seated=seating_row is not None,
        seat_ids=[seat.pk for seat in seats],
        language=request.LANGUAGE_CODE,
    )
    context = {}
    if seating_row is not None:
        context |= seat_picker(request, performance, seating_row, seats)
        context["max_seats"] = MAX_SEATS
    return form, context


def _held_basket(request, form, performance):
    """Seated: the basket holding the new seats (held now, or at the quote)."""
    data = form.cleaned_data
    if data.get("basket"):
        try:
            return basket_get(house=request.house, token=data["basket"])
        except NotFound:
            pass
    basket = basket_create(house=request.house, channel=Order.Channel.BOX_OFFICE)
    house, clerk = request.house, request.user
    with transaction.atomic():
        if data.get("seat"):
            basket_add_seats(
                house=house,
                actor=clerk,
                basket=basket,
                performance=performance,
                seat_ids=data["seat"],
                kind=data.get("kind") or "full",
            )
        else:
            basket_add_best_available(
                house=house,
                actor=clerk,
                basket=basket,
                performance=performance,
                tariff=form.best_tariff(),
                count=len(data["tickets"]),
            )
    return basket


def _quote(request, order, performance, form):
    data = form.cleaned_data
    basket = _held_basket(request, form, performance) if form.seated else None
    quote = exchanges.exchange_quote(
        house=request.house,
        order=order,
        ticket_ids=[t.pk for t in data["tickets"]],
        performance=performance,
        tariffs=form.ticket_tariffs(),
        basket=basket,
    )
    if basket is not None:
        form.data = form.data.copy()
        form.data["basket"] = basket.token
    return quote


def _exchange(request, order, performance, form):
    data = form.cleaned_data
    basket = _held_basket(request, form, performance) if form.seated else None
    try:
        return exchanges.exchange_tickets(
            house=request.house,
            actor=request.user,
            order=order,
            ticket_ids=[t.pk for t in data["tickets"]],
            performance=performance,
            tariffs=form.ticket_tariffs(),
            basket=basket,
            payment_method=data["payment_method"],
            refund_method=data["refund_method"],
        )
    except DomainError:
        if basket is not None:  # nothing kept: the seats go back at once
            basket_release(house=request.house, actor=request.user, basket=basket)
        raise


def _done_message(exchange) -> str:
    count = len(exchange.new_tickets)
    if exchange.difference > 0:
        money = _("%(amount)s was paid.") % {"amount": euro(exchange.difference)}
    elif exchange.difference < 0:
        money = _("%(amount)s was paid back.") % {"amount": euro(-exchange.difference)}
    else:
        money = _("The price is the same: no money changed hands.")
    return " ".join([_("Exchanged tickets: %(count)s.") % {"count": count}, money])


@office_view(Action.ORDER_MANAGE)
def order_exchange(request, code):
    order = load(sales.order_get_detailed, house=request.house, code=code)
    query = request.GET.get("q", "")[:100]
    performance = _target(request)
    context = {"order": order, "query": query, "performance": performance}
    if performance is None:
        if request.method == "POST":
            messages.error(request, _("Choose the performance to exchange for."))
        context["candidates"] = _candidates(request, order, query)
        return render(request, "order_exchange", **context)
    form, extra = _form(request, order, performance)
    context.update(extra, form=form)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "quote":
                context["quote"] = _quote(request, order, performance, form)
            else:
                done = _exchange(request, order, performance, form)
                messages.success(request, _done_message(done))
                return redirect("office:order-detail", code=order.code)
        except DomainError as error:
            form.add_domain_error(error)
    return render(request, "order_exchange", **context)
