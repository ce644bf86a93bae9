"""The box office: find a performance, sell in one form, print or mail the tickets."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.catalog import selectors as catalog
from podium.core.errors import DomainError, NotFound
from podium.customers.selectors import customer_get
from podium.customers.services import customer_from_line
from podium.passes.desk import desk_sale_with_voucher
from podium.passes.memberships import basket_member_set
from podium.sales import selectors as sales
from podium.sales.models import Order, Tariff
from podium.sales.promo import basket_apply_code
from podium.sales.selectors import performances_availability
from podium.sales.services.baskets import basket_add, basket_create, basket_release
from podium.sales.services.desk import desk_sale
from podium.sales.services.pricing import price_list
from podium.sales.services.reservations import (
    reservation_create,
    reservation_get,
    reservation_list,
    reservation_release,
)
from podium.sales.tickets.pdf import order_pdf
from podium.sales.tickets.validity import ADMITTING_ORDER_STATES
from podium.seating import selectors as seating
from podium.seating.render import render_for
from podium.seating.services import basket_add_best_available, basket_add_seats
from podium.tenancy.permissions import Action, require

from .access import load, office_view
from .desk_forms import DeskSaleForm, ReservationSaleForm
from .flow import attempted, posted, render


@office_view(Action.SALES_SELL)
def desk(request):
    query = request.GET.get("q", "")[:100]
    performances = catalog.performance_search(house=request.house, query=query)
    availability = performances_availability(performances=performances)
    return render(
        request,
        "desk",
        query=query,
        results=[(p, availability[p.pk]) for p in performances],
    )


def _desk_tariffs(performance) -> list[Tariff]:
    return [t for t in price_list(performance=performance) if t.is_active]


@office_view(Action.SALES_SELL)
def desk_sale_page(request, pk):
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    seating_row = seating.performance_seating(performance=performance)
    seats = seating.performance_seats(performance=performance) if seating_row else []
    form = DeskSaleForm(
        posted(request),
        tariffs=_desk_tariffs(performance),
        seated=seating_row is not None,
        seat_ids=[seat.pk for seat in seats],
        language=request.LANGUAGE_CODE,
    )
    if request.method == "POST" and form.is_valid() and form.reserving:
        reservation = _reserve(request, performance, form)
        if reservation is not None:
            messages.success(
                request,
                _("Reserved for %(name)s until %(until)s.")
                % {
                    "name": reservation.reserved_for,
                    "until": date_format(
                        timezone.localtime(reservation.expires_at), "DATETIME_FORMAT"
                    ),
                },
            )
            return redirect("office:desk-reservations")
    elif request.method == "POST" and form.is_valid():
        sale = _sell(request, performance, form)
        if sale is not None:
            query = {"change": sale.change} if sale.change is not None else {}
            url = reverse("office:desk-receipt", args=[sale.order.code])
            return redirect(f"{url}?{urlencode(query)}" if query else url)
    if form.is_bound and not form.chosen_customers:
        show_chosen_customer(request, form)
    context = {
        "performance": performance,
        "form": form,
        "availability": performances_availability(performances=[performance])[
            performance.pk
        ],
    }
    if seating_row is not None:
        context |= seat_picker(request, performance, seating_row, seats)
    return render(request, "desk_sale", **context)


def seat_picker(request, performance, seating_row, seats) -> dict:
    """The desk's seat plan of `performance`: the SVG and its legend."""
    return {
        "svg": render_for(
            seats,
            prices=seating.zone_prices(seating=seating_row),
            language=request.LANGUAGE_CODE,
            label=_("Seat plan of %(hall)s") % {"hall": performance.hall.name},
        ),
        "legend": seating.zone_legend(
            seating=seating_row, language=request.LANGUAGE_CODE
        ),
    }


def _add_places(request, performance, form, basket) -> None:
    """The chosen places into `basket`; bought with the friends pass typed, if any
    (before the places: it unlocks the member tariffs)."""
    data = form.cleaned_data
    house, clerk = request.house, request.user
    with transaction.atomic():
        if data.get("member_pass", "").strip():
            basket_member_set(
                house=house, actor=clerk, basket=basket, number=data["member_pass"]
            )
        if form.seated and data.get("seat"):
            basket_add_seats(
                house=house,
                actor=clerk,
                basket=basket,
                performance=performance,
                seat_ids=data["seat"],
                kind=data["kind"],
            )
        elif form.seated:
            basket_add_best_available(
                house=house,
                actor=clerk,
                basket=basket,
                performance=performance,
                tariff=form.best_tariff(),
                count=data["best_count"],
            )
        else:
            for tariff, count in form.counts():
                basket_add(
                    house=house,
                    actor=clerk,
                    basket=basket,
                    performance=performance,
                    tariff=tariff,
                    quantity=count,
                )


def _reserve(request, performance, form):
    """A reservation basket holding the chosen places; the refusal on the form."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            basket = reservation_create(
                house=request.house,
                actor=request.user,
                performance=performance,
                reserved_for=data["reserved_for"],
                contact=data["contact"],
                until=data["reserve_until"],
            )
            _add_places(request, performance, form, basket)
    except DomainError as error:
        form.add_domain_error(error)
        return None
    return basket


def desk_customer(request, form):
    """The customer chosen in the look-up, else the one typed as a line (created
    now; deduplicated by e-mail), else None. Kept on the form as the chosen one, so
    that a sale tried again does not create them twice."""
    data = form.cleaned_data
    if data.get("customer"):
        require(request.user, Action.CUSTOMER_VIEW, request.house)
        customer = customer_get(house=request.house, pk=data["customer"])
    elif data.get("customer_line", "").strip():
        require(request.user, Action.CUSTOMER_MANAGE, request.house)
        customer = customer_from_line(
            house=request.house, actor=request.user, line=data["customer_line"]
        )
    else:
        return None
    form.chosen_customers = [customer]
    return customer


def show_chosen_customer(request, form) -> None:
    """A form shown again keeps the customer chosen in the look-up."""
    pk = getattr(form, "cleaned_data", {}).get("customer")
    if pk and request.may["customer_view"]:
        try:
            form.chosen_customers = [customer_get(house=request.house, pk=pk)]
        except NotFound:
            pass


def _sell(request, performance, form):
    """Customer, basket, places, order and payment; the refusal shown on the form."""

    def fill(basket, _customer):
        _add_places(request, performance, form, basket)
        code = form.cleaned_data.get("promo_code", "").strip()
        if code:
            try:
                basket_apply_code(
                    house=request.house, actor=request.user, basket=basket, code=code
                )
            except DomainError as error:
                error.field = "promo_code"  # the form's name for the code
                raise

    return desk_sell(request, form, fill=fill)


def desk_sell(request, form, *, fill):
    """A box-office sale of what `fill(basket, customer)` puts in a new basket: the
    customer, the order and the payment from `form`; a refusal is shown on the form
    and nothing stays held. The placed order, or None."""
    data = form.cleaned_data
    house, clerk = request.house, request.user
    try:
        customer = desk_customer(request, form)
    except DomainError as error:
        form.add_error("customer_line", str(error))
        return None
    basket = basket_create(house=house, channel=Order.Channel.BOX_OFFICE)
    try:
        fill(basket, customer)
        sale = dict(
            house=house,
            actor=clerk,
            basket=basket,
            provider=data["provider"],
            buyer_name=data["buyer_name"],
            buyer_email=data["buyer_email"],
            send_confirmation=data["send_confirmation"],
            cash_received=data["cash_received"],
            customer=customer,
        )
        if data.get("voucher_code", "").strip():
            return desk_sale_with_voucher(voucher_code=data["voucher_code"], **sale)
        return desk_sale(**sale)
    except DomainError as error:
        basket_release(house=house, actor=clerk, basket=basket)  # nothing kept
        form.add_domain_error(error)
        return None


@office_view(Action.SALES_SELL)
def desk_receipt(request, code):
    order = load(sales.order_get_detailed, house=request.house, code=code)
    try:
        change = Decimal(request.GET.get("change", ""))
    except InvalidOperation:
        change = None
    performance = order.tickets.first().performance if order.tickets.exists() else None
    return render(
        request, "desk_receipt", order=order, change=change, performance=performance
    )


@office_view(Action.ORDER_VIEW)
def order_tickets_pdf(request, code):
    order = load(sales.order_get, house=request.house, code=code)
    if order.state not in ADMITTING_ORDER_STATES:
        raise Http404(_("This order is not paid: it has no tickets yet."))
    layout = "receipt" if request.GET.get("layout") == "receipt" else "a4"
    response = HttpResponse(
        order_pdf(order, layout=layout), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="tickets-{order.code}.pdf"'
    return response


@office_view(Action.SALES_SELL)
def desk_reservations(request):
    return render(
        request,
        "desk_reservations",
        reservations=reservation_list(house=request.house),
        form=ReservationSaleForm(),
    )


@office_view(Action.SALES_SELL)
@require_POST
def desk_reservation_sell(request, pk):
    basket = load(reservation_get, house=request.house, pk=pk)
    form = ReservationSaleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sale = desk_sale(
                house=request.house,
                actor=request.user,
                basket=basket,
                provider=data["provider"],
                buyer_name=basket.reserved_for,
                cash_received=data["cash_received"],
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("office:desk-reservations")
        query = {"change": sale.change} if sale.change is not None else {}
        url = reverse("office:desk-receipt", args=[sale.order.code])
        return redirect(f"{url}?{urlencode(query)}" if query else url)
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("office:desk-reservations")


@office_view(Action.SALES_SELL)
@require_POST
def desk_reservation_release(request, pk):
    basket = load(reservation_get, house=request.house, pk=pk)
    attempted(
        request,
        lambda: reservation_release(
            house=request.house, actor=request.user, basket=basket
        ),
        _("The reservation was released: its places are on sale again."),
    )
    return redirect("office:desk-reservations")
