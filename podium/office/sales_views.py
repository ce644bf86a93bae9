"""The office's sales screens: prices, capacity, orders, cancelling a performance.

Thin views: each loads its objects for `request.house` (another house's are a 404),
calls one sales service and shows its refusal as a form error or a message.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.catalog import selectors as catalog
from podium.sales import selectors as sales
from podium.sales.models import Order
from podium.sales.services import (
    exchange,
    inventory,
    orders,
    pricing,
    refunds,
    tickets,
)
from podium.sales.tickets.validity import ADMITTING_ORDER_STATES
from podium.tenancy.permissions import Action

from . import sales_forms as forms
from .access import load, office_view
from .exchange_forms import HolderForm
from .flow import attempted, posted, render, submitted
from .sales_reads import performances_sales_summary

# ----------------------------------------------------------------------- prices


@office_view(Action.PRODUCTION_VIEW)
def price_list(request, pk):
    production = load(catalog.production_get, house=request.house, pk=pk)
    return render(
        request,
        "price_list",
        production=production,
        categories=sales.price_categories_with_tariffs(
            house=request.house, production=production
        ),
        performances=catalog.production_performances(
            house=request.house, production=production
        ),
    )


@office_view(Action.PRICE_EDIT)
def price_category_create(request, pk):
    production = load(catalog.production_get, house=request.house, pk=pk)
    form = forms.PriceCategoryForm(posted(request))
    if submitted(
        request,
        form,
        lambda data: pricing.price_category_create(
            house=request.house, actor=request.user, production=production, **data
        ),
        _("The price category was added."),
    ):
        return redirect("office:price-list", pk=production.pk)
    return render(request, "price_category_create", form=form, production=production)


def _categories(request, production_id):
    return sales.price_category_list(house=request.house, production_id=production_id)


@office_view(Action.PRICE_EDIT)
def tariff_create(request, pk):
    production = load(catalog.production_get, house=request.house, pk=pk)
    form = forms.TariffForm(
        posted(request), categories=_categories(request, production.pk)
    )
    if submitted(
        request,
        form,
        lambda data: pricing.tariff_create(
            house=request.house, actor=request.user, production=production, **data
        ),
        _("The tariff was added."),
    ):
        return redirect("office:price-list", pk=production.pk)
    return render(request, "tariff_form", form=form, production=production)


@office_view(Action.PRICE_EDIT)
def tariff_edit(request, pk):
    tariff = load(sales.tariff_get, house=request.house, pk=pk)
    form = forms.TariffForm(
        posted(request),
        categories=_categories(request, tariff.production_id),
        tariff=tariff,
    )
    if submitted(
        request,
        form,
        lambda data: pricing.tariff_update(
            house=request.house, actor=request.user, tariff=tariff, **data
        ),
        _("The tariff was saved."),
    ):
        if tariff.performance_id:
            return redirect("office:performance-prices", pk=tariff.performance_id)
        return redirect("office:price-list", pk=tariff.production_id)
    return render(
        request, "tariff_form", form=form, tariff=tariff, production=tariff.production
    )


@office_view(Action.PRODUCTION_VIEW)
def performance_prices(request, pk):
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    own = sales.performance_tariff_list(house=request.house, performance=performance)
    return render(
        request,
        "performance_prices",
        performance=performance,
        own=own,
        tariffs=own
        or sales.production_tariff_list(
            house=request.house, production=performance.production
        ),
    )


@office_view(Action.PRICE_EDIT)
@require_POST
def price_list_customize(request, pk):
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    attempted(
        request,
        lambda: pricing.price_list_customize(
            house=request.house, actor=request.user, performance=performance
        ),
        _("This performance now has its own prices: change what differs."),
    )
    return redirect("office:performance-prices", pk=performance.pk)


# --------------------------------------------------------------------- capacity


@office_view(Action.PRODUCTION_VIEW)
def quota_list(request, pk):
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    summary = performances_sales_summary(
        house=request.house, performances=[performance]
    )[performance.pk]
    return render(
        request,
        "quota_list",
        performance=performance,
        quotas=sales.quota_list(house=request.house, performance=performance),
        summary=summary,
    )


@office_view(Action.QUOTA_EDIT)
def quota_create(request, pk):
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    form = forms.QuotaForm(
        posted(request),
        categories=_categories(request, performance.production_id),
        initial={"size": performance.hall.capacity or None},
    )
    if submitted(
        request,
        form,
        lambda data: inventory.quota_create(
            house=request.house, actor=request.user, performance=performance, **data
        ),
        _("The quota was added."),
    ):
        return redirect("office:quota-list", pk=performance.pk)
    return render(request, "quota_form", form=form, performance=performance)


@office_view(Action.QUOTA_EDIT)
def quota_edit(request, pk):
    quota = load(sales.quota_get, house=request.house, pk=pk)
    performance = quota.performance
    form = forms.QuotaForm(
        posted(request),
        categories=_categories(request, performance.production_id),
        quota=quota,
    )
    if submitted(
        request,
        form,
        lambda data: inventory.quota_update(
            house=request.house, actor=request.user, quota=quota, **data
        ),
        _("The quota was saved."),
    ):
        return redirect("office:quota-list", pk=performance.pk)
    return render(
        request, "quota_form", form=form, quota=quota, performance=performance
    )


# ------------------------------------------------------------------------ orders


@office_view(Action.ORDER_VIEW)
def order_list(request):
    form = forms.OrderSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if query and sales.is_ticket_code(query):
        # A scanned ticket: straight to its order, or say why it finds none.
        found = sales.order_find_by_ticket_code(house=request.house, payload=query)
        if found.order is not None:
            return redirect("office:order-detail", code=found.order.code)
        messages.error(request, found.message)
    return render(
        request,
        "order_list",
        form=form,
        query=query,
        results=sales.order_search(house=request.house, query=query) if query else None,
        latest=sales.order_latest(house=request.house),
    )


def _order_offers(order: Order) -> dict[str, bool]:
    """Which actions the page offers; the services still decide."""
    return {
        "resend": order.state in ADMITTING_ORDER_STATES,
        "exchange": order.state in exchange.EXCHANGEABLE_ORDER_STATES,
        "rename": order.state in ADMITTING_ORDER_STATES,
        "refund": order.state in refunds.REFUNDABLE_ORDER_STATES,
        "cancel": order.state == Order.State.PENDING,
    }


@office_view(Action.ORDER_VIEW)
def order_detail(request, code):
    order = load(sales.order_get_detailed, house=request.house, code=code)
    return render(request, "order_detail", order=order, offers=_order_offers(order))


@office_view(Action.ORDER_MANAGE)
@require_POST
def order_resend(request, code):
    order = load(sales.order_get_detailed, house=request.house, code=code)
    attempted(
        request,
        lambda: tickets.order_resend_confirmation(
            house=request.house, actor=request.user, order=order
        ),
        _("The confirmation is on its way to %(email)s.")
        % {"email": order.buyer_email},
    )
    return redirect("office:order-detail", code=order.code)


@office_view(Action.ORDER_MANAGE)
@require_POST
def ticket_holder(request, code, pk):
    order = load(sales.order_get, house=request.house, code=code)
    ticket = load(sales.order_ticket_get, house=request.house, order=order, pk=pk)
    form = HolderForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("name", [])))
    else:
        attempted(
            request,
            lambda: tickets.ticket_holder_rename(
                house=request.house,
                actor=request.user,
                ticket=ticket,
                name=form.cleaned_data["name"],
            ),
            lambda renamed: (
                _("Ticket %(number)s is in the name of %(name)s.")
                % {
                    "number": renamed.pk,
                    "name": renamed.holder_name or order.buyer_name,
                }
            ),
        )
    return redirect("office:order-detail", code=order.code)


def _refunded(refund) -> str:
    return _("Refund of %(amount)s EUR: %(state)s.") % {
        "amount": refund.amount,
        "state": refund.get_state_display(),
    }


@office_view(Action.ORDER_REFUND)
def order_refund(request, code):
    order = load(sales.order_get_detailed, house=request.house, code=code)
    form = forms.RefundForm(
        posted(request),
        tickets=sales.order_valid_tickets(house=request.house, order=order),
    )
    if submitted(
        request,
        form,
        lambda data: refunds.order_refund(
            house=request.house,
            actor=request.user,
            order=order,
            tickets=list(data["tickets"]),
            reason=data["reason"],
        ),
        _refunded,
    ):
        return redirect("office:order-detail", code=order.code)
    return render(request, "order_refund", form=form, order=order)


@office_view(Action.ORDER_MANAGE)
def order_cancel(request, code):
    order = load(sales.order_get_detailed, house=request.house, code=code)
    form = forms.ReasonForm(posted(request))
    if form.is_valid() and not _order_offers(order)["cancel"]:
        # This screen is for unpaid orders: a paid one is refunded, not cancelled.
        form.add_error(
            None, _("Only an unpaid order is cancelled here; refund a paid one.")
        )
    elif submitted(
        request,
        form,
        lambda data: orders.order_cancel(
            house=request.house, actor=request.user, order=order, reason=data["reason"]
        ),
        _("The order was cancelled."),
    ):
        return redirect("office:order-detail", code=order.code)
    return render(request, "order_cancel", form=form, order=order)


# ------------------------------------------------------- cancel a performance


@office_view(Action.PERFORMANCE_CANCEL)
def performance_cancel(request, pk):
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    form = forms.PerformanceCancelForm(posted(request))
    if done := submitted(
        request,
        form,
        lambda data: refunds.performance_cancel_start(
            house=request.house,
            actor=request.user,
            performance=performance,
            reason=data["reason"],
        ),
    ):
        # No task wraps the job yet: it runs inline, as eager tasks would.
        refunds.performance_cancel_run(job_id=done.result.pk)
        return redirect("office:cancellation-detail", pk=done.result.pk)
    return render(
        request,
        "performance_cancel",
        form=form,
        performance=performance,
        orders_affected=sales.performance_orders_affected(
            house=request.house, performance=performance
        ),
    )


@office_view(Action.PERFORMANCE_CANCEL)
def cancellation_detail(request, pk):
    job = load(sales.performance_cancellation_get, house=request.house, pk=pk)
    template = "cancellation_progress" if request.htmx else "cancellation_detail"
    return render(request, template, job=job, running=job.state == job.State.RUNNING)
