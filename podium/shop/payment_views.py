"""Payment endpoints of the shop: Mollie's webhook and the page a buyer returns to.

Thin: read the input, call one sales service, answer.
"""

import logging

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from podium.core.errors import NotFound
from podium.sales.errors import SalesError
from podium.sales.services.payments import mollie_webhook_handle, payment_return_sync

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
    return TemplateResponse(
        request,
        "shop/payment_return.html",
        {"order": result.order, "payment": result.payment},
    )
