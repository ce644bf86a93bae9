"""The office's friends pass screens: configure the pass types, find members, sell
a pass at the box office, and the members report.

Thin views: each loads what it shows for `request.house` (another house's type is a
404), calls one passes service and shows a refusal as a form error.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from podium.catalog.selectors import production_list
from podium.passes import membership_configuration as configuration
from podium.passes import reports
from podium.passes.memberships import membership_buy
from podium.sales.models import Order
from podium.sales.services.desk import desk_order_pay
from podium.tenancy.permissions import Action

from . import membership_forms as forms
from .access import load, office_view
from .flow import posted, render, submitted


def _productions(request):
    return production_list(house=request.house)


def _type(request, pk):
    return load(reports.membership_type_get, house=request.house, pk=pk)


@office_view(Action.ORDER_VIEW)
def membership_type_list(request):
    return render(
        request,
        "membership_type_list",
        types=reports.membership_type_list(house=request.house),
    )


@office_view(Action.PRICE_EDIT)
def membership_type_create(request):
    form = forms.MembershipTypeForm(posted(request), productions=_productions(request))
    if submitted(
        request,
        form,
        lambda data: configuration.membership_type_create(
            house=request.house, actor=request.user, **data
        ),
        _("The friends pass type was created."),
    ):
        return redirect("office:membership-type-list")
    return render(request, "membership_type_form", form=form)


@office_view(Action.PRICE_EDIT)
def membership_type_edit(request, pk):
    type_ = _type(request, pk)
    form = forms.MembershipTypeForm(
        posted(request), productions=_productions(request), type=type_
    )
    if submitted(
        request,
        form,
        lambda data: configuration.membership_type_update(
            house=request.house, actor=request.user, type=type_, **data
        ),
        _("The friends pass type was saved."),
    ):
        return redirect("office:membership-type-list")
    return render(request, "membership_type_form", form=form, type=type_)


@office_view(Action.ORDER_VIEW)
def membership_list(request):
    search = forms.MembershipSearchForm(request.GET)
    search.is_valid()
    query = search.cleaned_data.get("q", "")
    return render(
        request,
        "membership_list",
        search=search,
        memberships=reports.membership_list(
            house=request.house,
            query=query,
            active_only=search.cleaned_data.get("active", False),
        )[:200],
    )


def _sell(request, data):
    """The pass as an order paid at once in cash or by card (a refused payment
    cancels it, and the pass with it)."""
    membership = membership_buy(
        house=request.house,
        actor=request.user,
        type=data["type"],
        holder_name=data["holder_name"],
        holder_email=data["holder_email"],
        channel=Order.Channel.BOX_OFFICE,
        locale=request.LANGUAGE_CODE,
    )
    desk_order_pay(
        house=request.house,
        actor=request.user,
        order=membership.order,
        provider=data["provider"],
    )
    membership.refresh_from_db()
    return membership


def _sold_message(membership) -> str:
    if membership.valid_until is None:  # paid, still being activated
        return _("Friends pass %(number)s was sold.") % {"number": membership.number}
    return _("Friends pass %(number)s was sold: valid until %(until)s.") % {
        "number": membership.number,
        "until": date_format(membership.valid_until, "SHORT_DATE_FORMAT"),
    }


@office_view(Action.SALES_SELL)
def membership_sell(request):
    types = reports.membership_type_list(house=request.house).filter(is_active=True)
    form = forms.MembershipSaleForm(posted(request), types=types)
    if done := submitted(request, form, lambda data: _sell(request, data)):
        messages.success(request, _sold_message(done.result))
        query = urlencode({"q": done.result.number})
        return redirect(f"{reverse('office:membership-list')}?{query}")
    return render(request, "membership_sell", form=form)


@office_view(Action.ORDER_VIEW)
def membership_report(request):
    return render(
        request,
        "membership_report",
        report=reports.membership_report(house=request.house),
    )
