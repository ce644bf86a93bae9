"""The office's gift voucher screens: the list with what the house still owes on
them, one voucher with its uses, selling one at the box office and its PDF.

Thin views: a voucher is loaded for `request.house` only (another house's is a
404); the sale calls the passes service and the desk's payment.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from podium.passes import reports
from podium.passes.models import GiftVoucher
from podium.passes.voucher_pdf import voucher_pdf
from podium.passes.vouchers import voucher_buy
from podium.sales.models import Order
from podium.sales.services.desk import desk_order_pay
from podium.tenancy.permissions import Action

from .access import load, office_view
from .flow import posted, render, submitted
from .voucher_forms import VoucherSaleForm, VoucherSearchForm

LIST_LIMIT = 200


def _voucher(request, pk):
    return load(reports.voucher_get, house=request.house, pk=pk)


@office_view(Action.ORDER_VIEW)
def voucher_list(request):
    search = VoucherSearchForm(request.GET)
    search.is_valid()
    vouchers = reports.voucher_list(
        house=request.house, query=search.cleaned_data.get("q", "")
    )
    return render(
        request,
        "voucher_list",
        search=search,
        vouchers=vouchers[:LIST_LIMIT],
        outstanding=reports.voucher_outstanding(house=request.house),
    )


@office_view(Action.ORDER_VIEW)
def voucher_detail(request, pk):
    voucher = _voucher(request, pk)
    return render(
        request,
        "voucher_detail",
        voucher=voucher,
        uses=reports.voucher_uses(house=request.house, voucher=voucher),
    )


def _sell(request, data):
    """The voucher as an order paid at once in cash or by card (a refused payment
    cancels it, and the voucher with it)."""
    voucher = voucher_buy(
        house=request.house,
        actor=request.user,
        value=data["value"],
        buyer_name=data["buyer_name"],
        buyer_email=data["buyer_email"],
        recipient_name=data["recipient_name"],
        message=data["message"],
        channel=Order.Channel.BOX_OFFICE,
        locale=request.LANGUAGE_CODE,
    )
    desk_order_pay(
        house=request.house,
        actor=request.user,
        order=voucher.order,
        provider=data["provider"],
    )
    return voucher


@office_view(Action.SALES_SELL)
def voucher_sell(request):
    form = VoucherSaleForm(posted(request))
    if done := submitted(
        request,
        form,
        lambda data: _sell(request, data),
        lambda voucher: _("Gift voucher %(code)s was sold.") % {"code": voucher.code},
    ):
        return redirect("office:voucher-detail", pk=done.result.pk)
    return render(request, "voucher_sell", form=form)


@office_view(Action.SALES_SELL)
def voucher_pdf_download(request, pk):
    voucher = _voucher(request, pk)
    if voucher.state != GiftVoucher.State.ACTIVE:
        raise Http404(_("This gift voucher is not paid: it has no PDF."))
    with translation.override(voucher.order.locale if voucher.order else "nl"):
        pdf = voucher_pdf(voucher)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cadeaubon-{voucher.code}.pdf"'
    return response
