"""The office's subscription screens: configure types, their tariffs and the capacity
kept for them, sell one at the box office, and see what they sold.

Thin views: each loads the type for `request.house` (another house's is a 404),
calls one passes service (or, for the sale, the desk's services) and shows a refusal
as a form error.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.core.errors import DomainError
from podium.passes import configuration, reports
from podium.passes.services import subscription_claim, subscription_compose
from podium.tenancy.permissions import Action

from . import subscription_forms as forms
from .access import load, office_view
from .desk_views import desk_sell, show_chosen_customer
from .flow import posted, render, submitted


def _choosable(request, type_=None):
    return reports.subscription_performances_choosable(house=request.house, type=type_)


def _type(request, pk):
    return load(reports.subscription_type_get, house=request.house, pk=pk)


@office_view(Action.ORDER_VIEW)
def subscription_type_list(request):
    return render(
        request,
        "subscription_list",
        types=reports.subscription_type_list(house=request.house),
    )


@office_view(Action.PRICE_EDIT)
def subscription_type_create(request):
    form = forms.SubscriptionTypeForm(posted(request), performances=_choosable(request))
    if done := submitted(
        request,
        form,
        lambda _data: configuration.subscription_type_create(
            house=request.house, actor=request.user, **form.service_kwargs()
        ),
        _("The subscription type was created."),
    ):
        return redirect("office:subscription-type-detail", pk=done.result.pk)
    return render(request, "subscription_form", form=form)


def _detail_context(request, type_, capacity_form=None) -> dict:
    performances = reports.subscription_type_performances(
        house=request.house, type=type_
    )
    kept = configuration.kept_quotas(house=request.house, performances=performances)
    return {
        "type": type_,
        "performances": performances,
        "tariffs": reports.subscription_tariff_list(house=request.house, type=type_),
        "capacity_form": capacity_form
        or forms.CapacityForm(performances=performances, kept=kept),
        "occupancy": reports.performance_occupancy(
            house=request.house, performances=performances
        ),
    }


@office_view(Action.ORDER_VIEW)
def subscription_type_detail(request, pk):
    type_ = _type(request, pk)
    return render(request, "subscription_detail", **_detail_context(request, type_))


@office_view(Action.PRICE_EDIT)
def subscription_type_edit(request, pk):
    type_ = _type(request, pk)
    form = forms.SubscriptionTypeForm(
        posted(request), performances=_choosable(request, type_), type=type_
    )
    if submitted(
        request,
        form,
        lambda _data: configuration.subscription_type_update(
            house=request.house, actor=request.user, type=type_, **form.service_kwargs()
        ),
        _("The subscription type was saved."),
    ):
        return redirect("office:subscription-type-detail", pk=type_.pk)
    return render(request, "subscription_form", form=form, type=type_)


@office_view(Action.PRICE_EDIT)
def subscription_tariff_create(request, pk):
    type_ = _type(request, pk)
    form = forms.SubscriptionTariffForm(posted(request))
    if submitted(
        request,
        form,
        lambda data: configuration.subscription_tariff_create(
            house=request.house, actor=request.user, type=type_, **data
        ),
        _("The tariff was added."),
    ):
        return redirect("office:subscription-type-detail", pk=type_.pk)
    return render(request, "subscription_tariff_form", form=form, type=type_)


@office_view(Action.QUOTA_EDIT)
@require_POST
def subscription_capacity(request, pk):
    type_ = _type(request, pk)
    performances = reports.subscription_type_performances(
        house=request.house, type=type_
    )
    form = forms.CapacityForm(
        request.POST,
        performances=performances,
        kept=configuration.kept_quotas(house=request.house, performances=performances),
    )
    if submitted(
        request,
        form,
        lambda _data: configuration.subscription_capacity_set(
            house=request.house, actor=request.user, type=type_, sizes=form.sizes()
        ),
        _("The capacity kept for subscriptions was saved."),
    ):
        return redirect("office:subscription-type-detail", pk=type_.pk)
    return render(
        request, "subscription_detail", **_detail_context(request, type_, form)
    )


# ------------------------------------------------------------------ the desk sale


def _compose(request, type_, form, customer):
    return subscription_compose(
        house=request.house,
        type=type_,
        tariff=form.chosen_tariff(),
        performance_ids=form.performance_ids(),
        quantity=form.cleaned_data["quantity"],
        customer=customer,
    )


def _sell(request, type_, form):
    """Customer, composition, claim (best available), order and payment at once;
    a refusal is shown on the form and nothing stays held."""

    def fill(basket, customer):
        subscription_claim(
            house=request.house,
            actor=request.user,
            basket=basket,
            composition=_compose(request, type_, form, customer),
        )

    return desk_sell(request, form, fill=fill)


def _quote(request, type_, form):
    """The composition priced for the clerk to confirm (no customer yet: the
    maximum per customer is checked by the sale)."""
    try:
        return _compose(request, type_, form, None)
    except DomainError as error:
        form.add_domain_error(error)
        return None


@office_view(Action.SALES_SELL)
def subscription_sell(request, pk):
    type_ = _type(request, pk)
    performances = reports.subscription_type_performances(
        house=request.house, type=type_
    )
    form = forms.SubscriptionSaleForm(
        posted(request),
        type=type_,
        tariffs=reports.subscription_tariff_list(
            house=request.house, type=type_
        ).filter(is_active=True),
        performances=performances,
    )
    composition = None
    if request.method == "POST" and form.is_valid() and form.quoting:
        composition = _quote(request, type_, form)
    elif request.method == "POST" and form.is_valid():
        sale = _sell(request, type_, form)
        if sale is not None:
            query = {"change": sale.change} if sale.change is not None else {}
            url = reverse("office:desk-receipt", args=[sale.order.code])
            return redirect(f"{url}?{urlencode(query)}" if query else url)
    if form.is_bound and not form.chosen_customers:
        show_chosen_customer(request, form)
    return render(
        request,
        "subscription_sell",
        type=type_,
        form=form,
        performances=performances,
        composition=composition,
        lines=_lines(composition),
    )


def _lines(composition) -> list:
    """(performance, subscription price, single price) for one person."""
    if composition is None:
        return []
    quote = composition.quote
    return list(
        zip(composition.performances, quote.prices, quote.single_prices, strict=True)
    )


@office_view(Action.ORDER_VIEW)
def subscription_report(request):
    return render(
        request,
        "subscription_report",
        types=reports.subscription_type_list(house=request.house),
        occupancy=reports.performance_occupancy(house=request.house),
    )
