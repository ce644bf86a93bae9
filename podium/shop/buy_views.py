"""Buying in the shop: a performance's tickets or seats, then the checkout.

Step 1, the performance page: tickets by tariff (general admission) or seats, picked
on the plan or best available. Step 2, the checkout: the basket with its countdown,
name and e-mail, and off to pay. Step 3 is the payment return page.
"""

import hashlib

from django.contrib import messages
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from podium.catalog.models import Performance
from podium.catalog.selectors import public_performances
from podium.core.errors import DomainError
from podium.core.i18n import localize
from podium.customers.accounts import consent_set
from podium.customers.models import Consent
from podium.customers.services import customer_for_guest
from podium.passes.memberships import (
    basket_member_set,
    member_pass_of_customer,
    member_tariff_ids,
    membership_early_access,
    memberships_on_sale,
)
from podium.passes.models import Membership
from podium.passes.services import basket_line_remove
from podium.passes.vouchers import voucher_pay, voucher_usable
from podium.sales import promo
from podium.sales.alternatives import Alternatives, alternatives_for
from podium.sales.models import Basket, Hold, Order, PromoCode, Tariff
from podium.sales.selectors import (
    order_by_idempotency_key,
    performance_availability,
)
from podium.sales.services.baskets import (
    basket_add,
    basket_remaining_seconds,
)
from podium.sales.services.inventory import seat_labels
from podium.sales.services.orders import order_place_once
from podium.sales.services.pricing import (
    hold_unit_price,
    order_fees,
    price_list,
    sales_settings_get,
    tariff_is_available,
)
from podium.seating import selectors as seating
from podium.seating.render import render_for
from podium.seating.services import basket_add_best_available, basket_add_seats
from podium.tenancy.models import House

from .buy_forms import BestAvailableForm, BuyerForm, PickedSeatsForm, TicketCountsForm
from .paying import online_provider, order_payment_url, remember_order
from .session import (
    current_customer,
    house_or_404,
    visitor_basket,
)
from .waiting_views import waiting_room_gate


def _performance(request, pk: int):
    performance = (
        public_performances(houses=request.cluster)
        .select_related("production", "hall__venue", "house")
        .filter(pk=pk)
        .first()
    )
    if performance is None:
        raise Http404(_("This performance is not in our programme."))
    return performance


def _web_tariffs(
    performance, code: PromoCode | None = None, membership: Membership | None = None
) -> list[Tariff]:
    """The tariffs sold online now, with the hidden ones `code` unlocks and the
    member tariffs of the visitor's friends pass."""
    tariffs = price_list(performance=performance)
    unlocked = promo.unlocked_tariff_ids(
        promo=code, tariffs=tariffs, performance=performance
    ) | member_tariff_ids(
        membership=membership, tariffs=tariffs, performance=performance
    )
    return [
        tariff
        for tariff in tariffs
        if tariff_is_available(
            tariff=tariff, channel="web", unlocked=unlocked
        ).available
    ]


def _page_code(request, house: House) -> PromoCode | None:
    """The promo code of the page: typed in the link (?code=) or posted with the
    tickets, else the one the visitor's basket carries."""
    typed = request.POST.get("code") or request.GET.get("code") or ""
    if typed.strip():
        found = promo.promo_code_find(house=house, code=typed[:60])
        if found is None and request.method == "GET":
            messages.error(
                request, _("This code is not known. Check it and try again.")
            )
        return found
    basket = visitor_basket(request, house, create=False)
    return basket.promo_code if basket is not None and basket.promo_code_id else None


def _kinds(tariffs: list[Tariff], language: str) -> list[tuple[str, str]]:
    """The tariff kinds sold in every rank (so any picked seat can take them)."""
    by_kind: dict[str, set[int]] = {}
    names: dict[str, str] = {}
    for tariff in tariffs:
        by_kind.setdefault(tariff.kind, set()).add(tariff.category_id)
        names.setdefault(
            tariff.kind, localize(tariff.name, language) or tariff.get_kind_display()
        )
    categories = {tariff.category_id for tariff in tariffs}
    return [(kind, names[kind]) for kind, seen in by_kind.items() if seen == categories]


def _alternatives(request, performance) -> Alternatives:
    """Other dates of the production and similar shows elsewhere in the cluster."""
    return alternatives_for(performance=performance, houses=request.cluster)


@require_http_methods(["GET", "POST"])
@waiting_room_gate
def performance_page(request, pk: int):
    performance = _performance(request, pk)
    house = performance.house
    language = request.LANGUAGE_CODE
    code = _page_code(request, house)
    membership = member_pass_of_customer(
        house=house, customer=current_customer(request)
    )
    tariffs = _web_tariffs(performance, code, membership)
    seating_row = seating.performance_seating(performance=performance)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if posted else None
    counts = TicketCountsForm(
        posted if action == "tickets" else None, tariffs=tariffs, language=language
    )
    best = BestAvailableForm(
        posted if action == "best" else None, tariffs=tariffs, language=language
    )
    seats = seating.performance_seats(performance=performance) if seating_row else []
    picked = PickedSeatsForm(
        posted if action == "seats" else None,
        seat_ids=[seat.pk for seat in seats],
        kinds=_kinds(tariffs, language),
    )
    status = 200
    if posted is not None:
        status = _add_to_basket(
            request, performance, action, (counts, best, picked), membership
        )
        if status is None:
            return redirect("shop:checkout", house_slug=house.slug)
    advance = membership_early_access(membership)
    availability = performance_availability(
        performance=performance, sales_start_advance=advance
    )
    context = {
        "performance": performance,
        "house": house,
        "availability": availability,
        "tariffs": tariffs,
        "counts_form": counts,
        "best_form": best,
        "picked_form": picked,
        "seated": seating_row is not None,
        "promo_code": code,
        "membership": membership,
        "member_tariffs": [t for t in tariffs if t.kind == Tariff.Kind.MEMBER],
        "member_hint": None if membership else _member_hint(performance),
        # Bought before the public sale starts, thanks to the friends pass.
        "early_access": availability.on_sale
        and performance.sales_start is not None
        and timezone.now() < performance.sales_start,
        "alternatives": _alternatives(request, performance)
        if not availability.on_sale or status == 409
        else None,
    }
    if seating_row is not None and availability.on_sale:
        prices = seating.zone_prices(seating=seating_row)
        context["svg"] = render_for(
            seats,
            prices=prices,
            language=language,
            label=_("Seat plan of %(hall)s") % {"hall": performance.hall.name},
        )
        context["legend"] = seating.zone_legend(
            seating=seating_row, language=request.LANGUAGE_CODE
        )
        context["max_seats"] = sales_settings_get(house=house).max_tickets_per_order
    return TemplateResponse(request, "shop/performance.html", context, status=status)


def _member_hint(performance):
    """For a visitor without a pass: the lowest member price of this performance
    when the house sells a friends pass online (else None)."""
    prices = [
        t.price
        for t in price_list(performance=performance)
        if t.kind == Tariff.Kind.MEMBER and t.is_active
    ]
    if not prices or not memberships_on_sale(houses=[performance.house]).exists():
        return None
    return min(prices)


def _add_to_basket(request, performance, action, forms, membership) -> int | None:
    """Put the visitor's choice in the basket: None when done, else the status of
    the page that shows why (409 when the world said no, such as sold out). A
    signed-in friend of the house buys with their pass (member tariffs, early
    access)."""
    house = performance.house
    counts, best, picked = forms
    form = {"tickets": counts, "best": best, "seats": picked}.get(action)
    if form is None or not form.is_valid():
        return 200
    try:
        basket = visitor_basket(request, house, create=True)
        if membership is not None:
            basket_member_set(
                house=house, actor=None, basket=basket, number=membership.number
            )
        _posted_code(request, house, basket, unlock=True)
        if action == "tickets":
            with transaction.atomic():
                for tariff, count in counts.counts():
                    basket_add(
                        house=house,
                        actor=None,
                        basket=basket,
                        performance=performance,
                        tariff=tariff,
                        quantity=count,
                    )
        elif action == "best":
            tariff = best.by_id[best.cleaned_data["tariff"]]
            result = basket_add_best_available(
                house=house,
                actor=None,
                basket=basket,
                performance=performance,
                tariff=tariff,
                count=best.cleaned_data["count"],
            )
            if not result.together:
                messages.info(
                    request,
                    _(
                        "There were not that many seats side by side: your seats are "
                        "spread over more than one place. Pick them yourself on the "
                        "plan if you prefer."
                    ),
                )
        else:
            basket_add_seats(
                house=house,
                actor=None,
                basket=basket,
                performance=performance,
                seat_ids=picked.cleaned_data["seat"],
                kind=picked.cleaned_data["kind"],
            )
    except DomainError as error:
        form.add_error(None, str(error))
        return 409 if error.conflict else 200
    _posted_code(request, house, basket, unlock=False)
    return None


def _posted_code(request, house, basket, *, unlock: bool) -> None:
    """The code that came with the tickets (from the page's link or the basket) goes
    on the basket: an unlock code before the tickets (it opens hidden tariffs), a
    discount after them (it needs something to discount)."""
    typed = promo.promo_code_normalise(request.POST.get("code", ""))[:60]
    current = basket.promo_code.code if basket.promo_code_id else ""
    found = promo.promo_code_find(house=house, code=typed) if typed else None
    if found is None or typed == current:
        return
    if unlock != (found.kind == PromoCode.Kind.UNLOCK):
        return
    if unlock:
        promo.basket_apply_code(house=house, actor=None, basket=basket, code=typed)
        return
    try:
        promo.basket_apply_code(house=house, actor=None, basket=basket, code=typed)
    except DomainError as error:  # the tickets are in; say why the code is not
        messages.info(request, str(error))


def _lines(basket: Basket, language: str) -> list[dict]:
    holds = list(
        Hold.objects.filter(basket=basket, state=Hold.State.HELD)
        .select_related("performance__production", "performance__hall", "tariff")
        .order_by("pk")
    )
    labels = seat_labels(
        seat_ids=[seat for hold in holds for seat in hold.seat_ids], language=language
    )
    prices = {
        hold.pk: hold_unit_price(
            tariff_price=hold.tariff.price, unit_price=hold.unit_price
        )
        for hold in holds
    }
    return [
        {
            "hold": hold,
            # What the promo code took off this line (0 without one).
            "saving": (hold.tariff.price - prices[hold.pk]) * hold.quantity
            if hold.promo_code_id
            else 0,
            "full_price": hold.tariff.price,
            "performance": hold.performance,
            "tariff_name": localize(hold.tariff.name, language)
            or hold.tariff.get_kind_display(),
            "quantity": hold.quantity,
            "unit_price": prices[hold.pk],
            "total": prices[hold.pk] * hold.quantity,
            "seats": [labels.get(seat, "") for seat in hold.seat_ids],
        }
        for hold in holds
    ]


def _fingerprint(data: dict) -> str:
    text = f"{data['buyer_name'].strip()}\n{data['buyer_email'].strip().lower()}"
    return hashlib.sha256(text.encode()).hexdigest()


def _lost_performance(basket: Basket | None) -> Performance | None:
    """The performance of the basket's latest tickets when they were let go because
    the basket ran out of time (held past it, or released by the sweep), else None."""
    if basket is None or basket.expires_at > timezone.now():
        return None
    hold = (
        Hold.objects.filter(
            basket=basket, state__in=[Hold.State.HELD, Hold.State.RELEASED]
        )
        .select_related("performance__production")
        .order_by("-pk")
        .first()
    )
    return hold.performance if hold is not None else None


def _buyer_form(request, house: House) -> BuyerForm:
    """The buyer's details; a signed-in customer finds their name and e-mail filled."""
    customer = current_customer(request)
    initial = (
        {"buyer_name": customer.name, "buyer_email": customer.email}
        if (customer)
        else {}
    )
    return BuyerForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        house_name=house.name,
    )


def _empty_checkout(request, house, basket, lines):
    """An empty basket, or one whose time ran out: say so, and where else to go."""
    lost = lines[-1]["performance"] if lines else _lost_performance(basket)
    return TemplateResponse(
        request,
        "shop/checkout.html",
        {
            "house": house,
            "lines": [],
            "expired": lost is not None,
            "lost_performance": lost,
            "alternatives": _alternatives(request, lost) if lost else None,
        },
    )


@require_http_methods(["GET", "POST"])
def checkout(request, house_slug: str):
    house = house_or_404(request, house_slug)
    language = request.LANGUAGE_CODE
    basket = visitor_basket(request, house, create=False)
    lines = _lines(basket, language) if basket else []
    remaining = basket_remaining_seconds(basket=basket) if basket else 0
    if not lines and basket is not None and request.method == "POST":
        placed = _placed(request, house, basket)  # a repeated POST: a double click
        if placed:
            return redirect(placed)
    if not lines or remaining == 0:
        return _empty_checkout(request, house, basket, lines)
    prices = [line["unit_price"] for line in lines for _n in range(line["quantity"])]
    fees = order_fees(settings=sales_settings_get(house=house), ticket_prices=prices)
    total = sum(prices) + sum(fee.amount for fee in fees)
    form = _buyer_form(request, house)
    provider = online_provider(house, total)
    saving = sum(line["saving"] for line in lines)
    conflict = False
    if request.method == "POST" and form.is_valid():
        redirect_to, conflict = _pay(request, house, basket, form, provider)
        if redirect_to:
            return redirect(redirect_to)
    return TemplateResponse(
        request,
        "shop/checkout.html",
        {
            "house": house,
            "basket": basket,
            "lines": lines,
            "fees": fees,
            "total": total,
            "remaining": remaining,
            "remaining_clock": f"{remaining // 60}:{remaining % 60:02d}",
            "form": form,
            "provider": provider,
            "lost_performance": lines[-1]["performance"],
            # Shown at once when the tickets were lost while paying, else only when
            # the countdown runs out (countdown.js reveals them).
            "alternatives": _alternatives(request, lines[-1]["performance"]),
            "conflict": conflict,
            "promo_code": basket.promo_code if basket.promo_code_id else None,
            "saving": saving,
        },
        status=409 if conflict else 200,
    )


def _pay(request, house, basket, form, provider) -> tuple[str | None, bool]:
    """Place the order (once per basket) and start paying: where to send the buyer,
    and whether the world said no (tickets or seats gone meanwhile)."""
    data = form.cleaned_data
    if provider is None:
        form.add_error(None, _("This house does not take payments online yet."))
        return None, False
    customer = current_customer(request)
    purposes = form.consents_given()
    voucher_code = data.get("voucher_code", "").strip()
    try:
        if voucher_code:  # a typo is said before the order is placed
            voucher_usable(house=house, code=voucher_code)
        if customer is None and purposes:  # a guest who ticked a box
            customer = customer_for_guest(
                house=house, name=data["buyer_name"], email=data["buyer_email"]
            )
        order, created = order_place_once(
            house=house,
            actor=None,
            basket=basket,
            buyer_name=data["buyer_name"],
            buyer_email=data["buyer_email"],
            company_name=data.get("company_name", ""),
            company_vat=data.get("company_vat", ""),
            locale=request.LANGUAGE_CODE,
            channel=Order.Channel.WEB,
            idempotency_key=f"shop-{basket.token}",
            fingerprint=_fingerprint(data),
            customer=customer,
        )
        if created:
            _consents_record(house, customer, purposes)
        remember_order(request, order)
        if voucher_code and order.state == Order.State.PENDING:
            _voucher_pay(request, house, order, voucher_code)
        return order_payment_url(request, house, order, provider), False
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return None, bool(error.conflict)


def _voucher_pay(request, house, order: Order, code: str) -> None:
    """Let the voucher pay what it can; when it cannot after all (spent meanwhile
    elsewhere), say so: the order is still paid in full online."""
    try:
        voucher_pay(house=house, actor=None, order=order, code=code)
    except DomainError as error:
        messages.error(request, str(error))


def _consents_record(house, customer, purposes: list[str]) -> None:
    """The boxes ticked at checkout become consents of this house. An unticked box
    withdraws nothing: it only means no choice was made here."""
    for purpose in purposes:
        consent_set(
            customer=customer,
            house=house,
            purpose=purpose,
            granted=True,
            source=Consent.Source.CHECKOUT,
        )


def _placed(request, house, basket) -> str | None:
    """Where a repeated POST goes once this basket became an order, or None."""
    order = order_by_idempotency_key(house=house, key=f"shop-{basket.token}")
    if order is None:
        return None
    try:
        return order_payment_url(
            request, house, order, online_provider(house, order.total)
        )
    except DomainError as error:
        messages.error(request, str(error))
        return reverse("shop:payment-return", args=[order.code])


@require_POST
def checkout_promo(request, house_slug: str):
    """Apply the typed promo code to the basket, or take it off."""
    house = house_or_404(request, house_slug)
    basket = visitor_basket(request, house, create=False)
    if basket is None:
        return redirect("shop:checkout", house_slug=house.slug)
    try:
        if request.POST.get("action") == "remove":
            let_go = promo.basket_remove_code(house=house, actor=None, basket=basket)
            messages.success(request, _("The code was removed."))
            if let_go:
                messages.info(
                    request,
                    _(
                        "Tickets at a tariff only sold with the code were taken "
                        "out of your basket."
                    ),
                )
        else:
            found = promo.basket_apply_code(
                house=house,
                actor=None,
                basket=basket,
                code=request.POST.get("code", "")[:60],
            )
            messages.success(
                request, _("The code %(code)s was applied.") % {"code": found.code}
            )
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("shop:checkout", house_slug=house.slug)


@require_POST
def hold_remove(request, house_slug: str, pk: int):
    house = house_or_404(request, house_slug)
    basket = visitor_basket(request, house, create=False)
    hold = Hold.objects.filter(basket=basket, pk=pk).first() if basket else None
    if hold is not None:
        if basket_line_remove(house=house, actor=None, hold=hold) is not None:
            messages.success(
                request, _("The subscription and all its performances were removed.")
            )
        else:
            messages.success(request, _("Removed from your basket."))
    return redirect("shop:checkout", house_slug=house.slug)


def performance_seat_states(request, pk: int):
    """{"states": {seat id: "free" or "taken"}}: the seat picker's refresh."""
    performance = _performance(request, pk)
    states = seating.seat_states(performance=performance)
    return JsonResponse(
        {
            "states": {
                str(seat): "free" if state == "free" else "taken"
                for seat, state in states
            }
        }
    )
