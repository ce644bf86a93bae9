"""Payment endpoints of the shop: Mollie's webhook and the page a buyer returns to.

Thin: read the input, call one sales service, answer.
"""

import logging

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from podium.core.errors import NotFound
from podium.passes.memberships import memberships_of_order
from podium.passes.voucher_pdf import voucher_pdf
from podium.passes.vouchers import vouchers_of_order
from podium.sales.errors import SalesError
from podium.sales.models import Order, Payment
from podium.sales.selectors import order_get
from podium.sales.services.payments import mollie_webhook_handle, payment_return_sync
from podium.sales.tickets.pdf import order_pdf
from podium.sales.tickets.validity import ADMITTING_ORDER_STATES

from .paying import SESSION_ORDERS

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def mollie_webhook(request):
    """Mollie POSTs `id=tr_…`; we fetch that payment from Mollie and apply it.

    200 when handled and for ids we do not know (nothing to probe); 400 without an
    id; 503 when Mollie could not be asked, so that Mollie retries later.
    """
    external_id = request.POST.get("id", "").strip()
    if not external_id or len(external_id) > 100:
        return HttpResponse(status=400)
    try:
        mollie_webhook_handle(external_id=external_id)
    except SalesError as error:
        logger.warning("Mollie webhook %s not handled: %s", external_id, error)
        return HttpResponse(status=503)
    return HttpResponse(status=200)


@require_GET
def payment_return(request, order_code: str):
    try:
        result = payment_return_sync(cluster=request.cluster, order_code=order_code)
    except NotFound as error:
        raise Http404(str(error)) from error
    order = result.order
    paid = order.state in ADMITTING_ORDER_STATES
    return TemplateResponse(
        request,
        "shop/payment_return.html",
        {
            "order": order,
            "payment": result.payment,
            "paid": paid,
            "has_tickets": order.tickets.exists(),
            "can_download": paid and _placed_here(request, order.code),
            **(_passes_bought(order) if paid else {}),
        },
    )


def _passes_bought(order: Order) -> dict:
    """The friends passes and gift vouchers a paid order bought."""
    return {
        "memberships": memberships_of_order(order),
        "vouchers": vouchers_of_order(order),
        # What gift vouchers paid of this order (the rest was paid online).
        "voucher_payments": order.payments.filter(
            provider="voucher", state=Payment.State.PAID
        ),
    }


@require_GET
def order_voucher_pdf(request, order_code: str, voucher_code: str):
    """A gift voucher of a paid order, for the session that bought it only."""
    house_id = _placed_here(request, order_code)
    order = (
        Order.objects.filter(
            house_id=house_id, house__cluster=request.cluster, code=order_code.upper()
        ).first()
        if house_id
        else None
    )
    voucher = (
        vouchers_of_order(order).filter(code=voucher_code.upper()).first()
        if order is not None
        else None
    )
    if voucher is None:
        raise Http404(_("This gift voucher does not exist."))
    with translation.override(request.LANGUAGE_CODE):
        pdf = voucher_pdf(voucher)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="cadeaubon-{voucher.code}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _placed_here(request, order_code: str) -> int | None:
    """The house id of an order this browser session placed, else None."""
    return request.session.get(SESSION_ORDERS, {}).get(order_code.upper())


@require_GET
def order_tickets_pdf(request, order_code: str):
    """The tickets of a paid order, for the session that placed it only: a guest has
    no account, and anyone else who knows the code gets a plain 404."""
    house_id = _placed_here(request, order_code)
    house = request.cluster.houses.filter(pk=house_id).first() if house_id else None
    if house is None:
        raise Http404(_("This order does not exist."))
    try:
        order = order_get(house=house, code=order_code.upper())
    except NotFound as error:
        raise Http404(str(error)) from error
    if order.state not in ADMITTING_ORDER_STATES:
        raise Http404(_("This order does not exist."))
    response = HttpResponse(order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tickets-{order.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
