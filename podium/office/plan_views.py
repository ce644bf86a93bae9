"""The office's hall screens: the halls of the house and their versioned seat plans.

A plan is never edited in place: generating or importing one saves the hall's next
version (`plan_create`), and performances already on sale keep the version they went
on sale with.
"""

from collections import Counter

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.core.errors import NotFound
from podium.core.i18n import localize
from podium.seating.errors import SeatingError
from podium.seating.models import Seat, SeatPlan
from podium.seating.plan_io import (
    plan_export_csv,
    plan_export_json,
    plan_import_csv,
    plan_import_json,
)
from podium.seating.plans import PlanSpec, generate_section, plan_create, plan_current
from podium.seating.render import SeatView, plan_svg
from podium.tenancy.models import Hall, House
from podium.tenancy.permissions import Action

from .access import load, office_view
from .flow import attempted, posted, render, submitted
from .plan_forms import PlanGenerateForm, PlanImportForm

# How far behind the last row of one section the next one starts (a balcony).
SECTION_GAP = 3


def _hall_get(*, house: House, pk: int) -> Hall:
    """The house's hall `pk`; missing and another house's are the same NotFound."""
    hall = Hall.objects.filter(house=house, pk=pk).select_related("venue").first()
    if hall is None:
        raise NotFound(_("Hall not found."))
    return hall


def _seated_hall(request, pk) -> Hall:
    """A hall that takes a seat plan; a standing hall has none to show or change."""
    hall = load(_hall_get, house=request.house, pk=pk)
    if hall.kind != Hall.Kind.SEATED:
        raise Http404(_("A standing hall has no seat plan."))
    return hall


def _current_plans(house: House) -> dict[int, dict]:
    """Hall id → {"version", "seats"} of each hall's newest plan version."""
    plans = (
        SeatPlan.objects.filter(house=house)
        .annotate(seat_count=Count("seats"))
        .order_by("hall_id", "version")
        .values_list("hall_id", "version", "seat_count")
    )
    # Ordered by version, so the newest of each hall is written last.
    return {hall: {"version": v, "seats": n} for hall, v, n in plans}


@office_view(Action.VENUE_VIEW)
def hall_list(request):
    halls = Hall.objects.filter(house=request.house).select_related("venue")
    current = _current_plans(request.house)
    rows = [
        {
            "hall": hall,
            "seated": hall.kind == Hall.Kind.SEATED,
            "plan": current.get(hall.pk),
        }
        for hall in halls.order_by("venue__name", "name", "pk")
    ]
    return render(request, "hall_list", rows=rows)


def _seat_views(plan: SeatPlan, language: str) -> list[SeatView]:
    """The plan's seats for `plan_svg`; a seat not for sale shows as blocked."""
    seats = Seat.objects.filter(plan=plan).select_related("section")
    return [
        SeatView(
            id=seat.pk,
            section=localize(seat.section.name, language),
            section_position=seat.section.position,
            row=seat.row,
            row_order=seat.row_order,
            number=seat.number,
            order=seat.order,
            x=seat.x,
            y=seat.y,
            zone=seat.zone,
            state="blocked" if seat.blocked or seat.kept else "free",
            wheelchair=seat.wheelchair,
            companion=seat.companion,
            restricted_view=seat.restricted_view,
        )
        for seat in seats
    ]


def _drawing(hall: Hall, plan: SeatPlan, language: str) -> dict:
    """The plan drawn, its legend of ranks and its counts."""
    views = _seat_views(plan, language)
    ranks = Counter(view.zone for view in views)
    return {
        "svg": plan_svg(
            views,
            selectable_states=(),
            label=_("Seat plan of %(hall)s, version %(version)s")
            % {"hall": hall.name, "version": plan.version},
        ),
        "legend": [
            {
                "zone": zone,
                "swatch": min(zone, 6),
                "label": ngettext(
                    "Rank %(zone)s: %(count)s seat",
                    "Rank %(zone)s: %(count)s seats",
                    ranks[zone],
                )
                % {"zone": zone, "count": ranks[zone]},
            }
            for zone in sorted(ranks)
        ],
        "counts": {
            "seats": len(views),
            "wheelchair": sum(view.wheelchair for view in views),
            "sections": len({view.section_position for view in views}),
            "not_for_sale": sum(view.state == "blocked" for view in views),
        },
    }


@office_view(Action.VENUE_VIEW)
def hall_plan(request, pk):
    hall = load(_hall_get, house=request.house, pk=pk)
    seated = hall.kind == Hall.Kind.SEATED
    plan = plan_current(hall=hall) if seated else None
    versions = (
        SeatPlan.objects.filter(house=request.house, hall=hall)
        .annotate(seat_count=Count("seats"))
        .order_by("-version")
    )
    drawing = _drawing(hall, plan, request.LANGUAGE_CODE) if plan else {}
    return render(
        request,
        "hall_plan",
        hall=hall,
        seated=seated,
        plan=plan,
        versions=versions,
        **drawing,
    )


def _plan_of(request, pk) -> tuple[Hall, SeatPlan]:
    hall = _seated_hall(request, pk)
    plan = plan_current(hall=hall)
    if plan is None:
        raise Http404(_("This hall has no seat plan yet."))
    return hall, plan


def _download(request, text: str, *, content_type: str, hall, plan, ext: str):
    """`text` as a file named after the house, the hall and the version."""
    name = slugify(hall.name) or f"hall-{hall.pk}"
    filename = f"{request.house.slug}-{name}-v{plan.version}.{ext}"
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@office_view(Action.VENUE_VIEW)
def hall_plan_export_json(request, pk):
    hall, plan = _plan_of(request, pk)
    return _download(
        request,
        plan_export_json(plan=plan),
        content_type="application/json; charset=utf-8",
        hall=hall,
        plan=plan,
        ext="json",
    )


@office_view(Action.VENUE_VIEW)
def hall_plan_export_csv(request, pk):
    hall, plan = _plan_of(request, pk)
    # Refused when two sections share a Dutch name: CSV names sections by it.
    done = attempted(request, lambda: plan_export_csv(plan=plan))
    if not done:
        return redirect("office:hall-plan", pk=hall.pk)
    return _download(
        request,
        done.result,
        content_type="text/csv; charset=utf-8",
        hall=hall,
        plan=plan,
        ext="csv",
    )


def _saved(plan: SeatPlan) -> str:
    count = plan.seats.count()
    return ngettext(
        "Version %(version)s of the seat plan was saved (%(count)s seat).",
        "Version %(version)s of the seat plan was saved (%(count)s seats).",
        count,
    ) % {"version": plan.version, "count": count}


def _generated(sections: list[tuple[str, dict]]) -> PlanSpec:
    """The form's sections as a plan, each behind the one before (like a balcony),
    centred on the first. A generator's refusal names the form field it is about."""
    spec = PlanSpec()
    for position, (prefix, options) in enumerate(sections):
        try:
            section = generate_section(**options, **_placement(spec, options))
        except SeatingError as error:
            field = f"{prefix}_{error.field}" if error.field else None
            raise SeatingError(
                error.message, code=error.code, params=error.params, field=field
            ) from error
        section.position = position
        spec.sections.append(section)
    return spec


def _placement(spec: PlanSpec, options: dict) -> dict:
    """origin_x/origin_y of the next section: SECTION_GAP behind the last seats,
    centred on the first section."""
    if not spec.sections:
        return {}
    seats = [seat for section in spec.sections for seat in section.seats]
    origin_y = max(seat.y for seat in seats) + SECTION_GAP
    front = spec.sections[0].seats
    alone = generate_section(**options, origin_y=origin_y).seats
    origin_x = _middle(front) - _middle(alone)
    return {"origin_y": origin_y, "origin_x": round(origin_x, 3)}


def _middle(seats) -> float:
    xs = [seat.x for seat in seats]
    return (min(xs) + max(xs)) / 2


@office_view(Action.VENUE_MANAGE)
def hall_plan_generate(request, pk):
    hall = _seated_hall(request, pk)
    form = PlanGenerateForm(posted(request))
    if submitted(
        request,
        form,
        lambda data: plan_create(
            house=request.house,
            actor=request.user,
            hall=hall,
            spec=_generated(form.sections()),
            note=data["note"],
        ),
        _saved,
    ):
        return redirect("office:hall-plan", pk=hall.pk)
    return render(
        request,
        "hall_plan_generate",
        hall=hall,
        form=form,
        current=plan_current(hall=hall),
    )


def _imported(upload, kind: str) -> PlanSpec:
    reader = plan_import_json if kind == "json" else plan_import_csv
    return reader(upload.read())


@office_view(Action.VENUE_MANAGE)
def hall_plan_import(request, pk):
    hall = _seated_hall(request, pk)
    form = PlanImportForm(posted(request), request.FILES or None)
    if submitted(
        request,
        form,
        lambda data: plan_create(
            house=request.house,
            actor=request.user,
            hall=hall,
            spec=_imported(data["file"], form.file_kind),
            note=data["note"],
        ),
        _saved,
    ):
        return redirect("office:hall-plan", pk=hall.pk)
    return render(
        request,
        "hall_plan_import",
        hall=hall,
        form=form,
        current=plan_current(hall=hall),
    )
