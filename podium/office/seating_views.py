"""The office's seat screens: sell a performance by seat, see its plan, block seats."""

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from podium.catalog import selectors as catalog
from podium.core.i18n import localize
from podium.sales.models import PriceCategory
from podium.seating import selectors, services
from podium.seating.models import PerformanceSeat
from podium.seating.render import render_for
from podium.tenancy.permissions import Action

from .access import load, office_view
from .flow import attempted, posted, render, submitted
from .forms import OfficeForm


class SeatingSetupForm(OfficeForm):
    """One price category per rank of the plan."""

    def __init__(self, data, *, zones: list[int], categories, language: str):
        super().__init__(data)
        self.zones = zones
        for position, zone in enumerate(zones):
            self.fields[f"zone_{zone}"] = forms.ModelChoiceField(
                queryset=categories,
                label=gettext_lazy("Rank %(zone)s sells as") % {"zone": zone},
                initial=categories[min(position, len(categories) - 1)]
                if categories
                else None,
            )
            self.fields[f"zone_{zone}"].label_from_instance = lambda category: localize(
                category.name, language
            )

    def zone_categories(self) -> dict[int, PriceCategory]:
        return {zone: self.cleaned_data[f"zone_{zone}"] for zone in self.zones}


class SeatChangeForm(OfficeForm):
    action = forms.ChoiceField(choices=[("block", "block"), ("unblock", "unblock")])
    seat = forms.TypedMultipleChoiceField(coerce=int, choices=())
    note = forms.CharField(
        max_length=100, required=False, label=gettext_lazy("Why (for staff)")
    )

    def __init__(self, data, *, seat_ids):
        super().__init__(data)
        self.fields["seat"].choices = [(i, i) for i in seat_ids]
        self.fields["seat"].error_messages["required"] = gettext_lazy(
            "Choose one or more seats on the plan first."
        )


def _setup_form(request, performance, plan):
    zones = sorted(set(plan.seats.values_list("zone", flat=True)))
    categories = PriceCategory.objects.filter(
        house_id=request.house.pk, production_id=performance.production_id
    ).order_by("position", "pk")
    return SeatingSetupForm(
        posted(request),
        zones=zones,
        categories=categories,
        language=request.LANGUAGE_CODE,
    )


@office_view(Action.PRODUCTION_VIEW)
def performance_seats(request, pk):
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    seating = selectors.performance_seating(performance=performance)
    if seating is None:
        plan = selectors.hall_plan_current(hall=performance.hall)
        return render(
            request,
            "performance_seats_setup",
            performance=performance,
            plan=plan,
            form=_setup_form(request, performance, plan) if plan else None,
        )
    may_change = request.may.get("quota_edit", False)
    seats = selectors.performance_seats(performance=performance)
    prices = selectors.zone_prices(seating=seating)
    svg = render_for(
        seats,
        prices=prices,
        language=request.LANGUAGE_CODE,
        selectable_states=("free", "blocked") if may_change else (),
        label=_("Seat plan of %(hall)s") % {"hall": performance.hall.name},
    )
    legend = selectors.zone_legend(seating=seating, language=request.LANGUAGE_CODE)
    return render(
        request,
        "performance_seats",
        performance=performance,
        seating=seating,
        counts=selectors.seat_counts(performance=performance),
        svg=svg,
        legend=legend,
        may_change=may_change,
        form=SeatChangeForm(None, seat_ids=[]),
    )


@office_view(Action.QUOTA_EDIT)
@require_POST
def performance_seating_setup(request, pk):
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    plan = selectors.hall_plan_current(hall=performance.hall)
    if plan is None:
        return redirect("office:performance-seats", pk=performance.pk)
    form = _setup_form(request, performance, plan)
    if submitted(
        request,
        form,
        lambda data: services.performance_seating_setup(
            house=request.house,
            actor=request.user,
            performance=performance,
            plan=plan,
            zones=form.zone_categories(),
        ),
        _("This performance is now sold by seat."),
    ):
        return redirect("office:performance-seats", pk=performance.pk)
    return render(
        request,
        "performance_seats_setup",
        performance=performance,
        plan=plan,
        form=form,
    )


@office_view(Action.QUOTA_EDIT)
@require_POST
def performance_seats_change(request, pk):
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    seat_ids = list(
        PerformanceSeat.objects.filter(
            house_id=request.house.pk, performance=performance
        ).values_list("pk", flat=True)
    )
    form = SeatChangeForm(request.POST, seat_ids=seat_ids)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("office:performance-seats", pk=performance.pk)
    data = form.cleaned_data
    if data["action"] == "block":
        attempted(
            request,
            lambda: services.seats_block(
                house=request.house,
                actor=request.user,
                performance=performance,
                seat_ids=data["seat"],
                note=data["note"],
            ),
            lambda count: (
                ngettext("%(count)s seat blocked.", "%(count)s seats blocked.", count)
                % {"count": count}
            ),
        )
    else:
        attempted(
            request,
            lambda: services.seats_unblock(
                house=request.house,
                actor=request.user,
                performance=performance,
                seat_ids=data["seat"],
            ),
            lambda count: (
                ngettext(
                    "%(count)s seat back on sale.",
                    "%(count)s seats back on sale.",
                    count,
                )
                % {"count": count}
            ),
        )
    return redirect("office:performance-seats", pk=performance.pk)


@office_view(Action.PRODUCTION_VIEW)
def performance_seat_states(request, pk):
    """{"states": {seat id: state}}: the picker's refresh."""
    performance = load(catalog.performance_get, house=request.house, pk=pk)
    states = PerformanceSeat.objects.filter(
        house_id=request.house.pk, performance=performance
    ).values_list("pk", "state")
    return JsonResponse({"states": {str(pk): state for pk, state in states}})
