"""The office's promo code screens: the list with uses and revenue, create, edit and
deactivate. Thin views around the sales promo services."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.sales import promo_configuration
from podium.tenancy.permissions import Action

from .access import load, office_view
from .flow import attempted, posted, render, submitted
from .promo_forms import PromoCodeForm


def _code(request, pk):
    return load(promo_configuration.promo_code_get, house=request.house, pk=pk)


@office_view(Action.ORDER_VIEW)
def promo_code_list(request):
    return render(
        request,
        "promo_list",
        codes=promo_configuration.promo_code_list(house=request.house),
    )


@office_view(Action.PRICE_EDIT)
def promo_code_create(request):
    form = PromoCodeForm(
        posted(request),
        choices=promo_configuration.promo_scope_choices(house=request.house),
    )
    if submitted(
        request,
        form,
        lambda data: promo_configuration.promo_code_create(
            house=request.house, actor=request.user, **data
        ),
        _("The promo code was created."),
    ):
        return redirect("office:promo-code-list")
    return render(request, "promo_form", form=form)


@office_view(Action.PRICE_EDIT)
def promo_code_edit(request, pk):
    code = _code(request, pk)
    form = PromoCodeForm(
        posted(request),
        choices=promo_configuration.promo_scope_choices(
            house=request.house, promo=code
        ),
        promo=code,
    )
    if submitted(
        request,
        form,
        lambda data: promo_configuration.promo_code_update(
            house=request.house, actor=request.user, promo=code, **data
        ),
        _("The promo code was saved."),
    ):
        return redirect("office:promo-code-list")
    return render(request, "promo_form", form=form, code=code)


@office_view(Action.PRICE_EDIT)
@require_POST
def promo_code_deactivate(request, pk):
    code = _code(request, pk)
    attempted(
        request,
        lambda: promo_configuration.promo_code_deactivate(
            house=request.house, actor=request.user, promo=code
        ),
        _("The promo code was deactivated."),
    )
    return redirect("office:promo-code-list")
