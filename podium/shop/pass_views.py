"""Friends passes and gift vouchers in the shop: buy one (paid online like an
order of tickets), and look up what is left on a voucher."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from podium.catalog.selectors import public_houses
from podium.core.errors import DomainError
from podium.passes.memberships import (
    membership_buy,
    memberships_of_customer,
    memberships_on_sale,
)
from podium.passes.vouchers import voucher_buy, voucher_find_in_cluster
from podium.sales.models import Order

from .pass_forms import MembershipBuyForm, VoucherBalanceForm, VoucherBuyForm
from .paying import online_provider, order_payment_url, remember_order
from .session import current_customer, house_or_404


def _my_passes(request, houses=None):
    return memberships_of_customer(
        customer=current_customer(request),
        houses=houses if houses is not None else request.cluster.houses.all(),
    )


def _initial(request) -> dict:
    customer = current_customer(request)
    return {"name": customer.name, "email": customer.email} if customer else {}


def _pay(request, house, order: Order, form):
    """Off to pay the new order; a clear message when the house cannot take it."""
    remember_order(request, order)
    provider = online_provider(house, order.total)
    if provider is None:
        form.add_error(None, _("This house does not take payments online yet."))
        return None
    return redirect(order_payment_url(request, house, order, provider))


@require_http_methods(["GET"])
def membership_list(request):
    """Every friends pass on sale in the cluster, and the visitor's own."""
    houses = public_houses(cluster=request.cluster)
    return TemplateResponse(
        request,
        "shop/membership_list.html",
        {
            "types": list(memberships_on_sale(houses=houses)),
            "my_passes": _my_passes(request),
        },
    )


@require_http_methods(["GET", "POST"])
def membership_page(request, house_slug: str):
    house = house_or_404(request, house_slug)
    types = list(memberships_on_sale(houses=[house]))
    form = MembershipBuyForm(
        request.POST if request.method == "POST" else None,
        types=types,
        language=request.LANGUAGE_CODE,
        initial=_initial(request),
    )
    if request.method == "POST" and types and form.is_valid():
        try:
            membership = membership_buy(
                house=house,
                actor=None,
                type=form.chosen(),
                holder_name=form.cleaned_data["name"],
                holder_email=form.cleaned_data["email"],
                customer=current_customer(request),
                locale=request.LANGUAGE_CODE,
            )
            response = _pay(request, house, membership.order, form)
            if response is not None:
                return response
        except DomainError as error:
            form.add_error(
                error.field if error.field in form.fields else None, str(error)
            )
    return TemplateResponse(
        request,
        "shop/membership_buy.html",
        {
            "house": house,
            "types": types,
            "form": form,
            "my_passes": _my_passes(request, houses=[house]),
            "signed_in": current_customer(request) is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def voucher_buy_page(request, house_slug: str):
    house = house_or_404(request, house_slug)
    form = VoucherBuyForm(
        request.POST if request.method == "POST" else None, initial=_initial(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            voucher = voucher_buy(
                house=house,
                actor=None,
                value=data["amount"],
                buyer_name=data["name"],
                buyer_email=data["email"],
                recipient_name=data["recipient_name"],
                message=data["message"],
                customer=current_customer(request),
                locale=request.LANGUAGE_CODE,
            )
            response = _pay(request, house, voucher.order, form)
            if response is not None:
                return response
        except DomainError as error:
            field = {"value": "other_value"}.get(error.field, error.field)
            form.add_error(field if field in form.fields else None, str(error))
    return TemplateResponse(
        request, "shop/voucher_buy.html", {"house": house, "form": form}
    )


@require_http_methods(["GET", "POST"])
def voucher_balance(request):
    """What is left on a voucher (any house of the cluster), and where to buy one."""
    form = VoucherBalanceForm(request.POST if request.method == "POST" else None)
    voucher = None
    if request.method == "POST" and form.is_valid():
        voucher = voucher_find_in_cluster(
            cluster=request.cluster, code=form.cleaned_data["code"]
        )
        if voucher is None:
            form.add_error(
                "code",
                _("This gift voucher code is not known. Check it and try again."),
            )
    houses = public_houses(cluster=request.cluster)
    return TemplateResponse(
        request,
        "shop/voucher_balance.html",
        {
            "form": form,
            "voucher": voucher,
            "houses": houses,
            "today": timezone.localdate(),
        },
    )
