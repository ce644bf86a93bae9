"""The office's waiting rooms: list, configure, and watch one live (and pause it)."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from podium.tenancy.permissions import Action
from podium.waitingroom import selectors, services

from .access import load, office_view
from .flow import attempted, posted, render, submitted
from .waiting_forms import WaitingRoomForm


@office_view(Action.PRODUCTION_VIEW)
def waiting_room_list(request):
    rooms = selectors.waiting_room_list(house=request.house)
    return render(request, "waiting_list", rooms=rooms, now=timezone.now())


@office_view(Action.PERFORMANCE_STATUS)
def waiting_room_create(request):
    form = WaitingRoomForm(posted(request), house=request.house)
    if done := submitted(
        request,
        form,
        lambda data: services.waiting_room_create(
            house=request.house, actor=request.user, **data
        ),
        _("The waiting room was created."),
    ):
        return redirect("office:waiting-room-detail", pk=done.result.pk)
    return render(request, "waiting_form", form=form, room=None)


@office_view(Action.PERFORMANCE_STATUS)
def waiting_room_edit(request, pk):
    room = load(selectors.waiting_room_get, house=request.house, pk=pk)
    form = WaitingRoomForm(posted(request), house=request.house, room=room)
    if submitted(
        request,
        form,
        lambda data: services.waiting_room_update(
            house=request.house, actor=request.user, room=room, **data
        ),
        _("The waiting room was saved."),
    ):
        return redirect("office:waiting-room-detail", pk=room.pk)
    return render(request, "waiting_form", form=form, room=room)


def _figures(room):
    """The room's figures after an admission step, so that staff watching see it
    admit even when no visitor polls and no Celery beat runs (the embedded default)."""
    now = timezone.now()
    services.waiting_room_step(room=room, now=now)
    return selectors.room_figures(room=room, now=now)


@office_view(Action.PRODUCTION_VIEW)
def waiting_room_detail(request, pk):
    room = load(selectors.waiting_room_get, house=request.house, pk=pk)
    figures = _figures(room)
    return render(request, "waiting_detail", room=room, figures=figures)


@office_view(Action.PRODUCTION_VIEW)
@never_cache
@require_GET
def waiting_room_figures(request, pk):
    room = load(selectors.waiting_room_get, house=request.house, pk=pk)
    figures = _figures(room)
    return JsonResponse(
        {
            "waiting": figures.waiting,
            "admitted_last_minute": figures.admitted_last_minute,
            "rate": round(figures.rate.per_minute),
            "automatic": figures.rate.automatic,
            "minutes_to_empty": figures.minutes_to_empty,
            "paused": figures.paused,
        }
    )


@office_view(Action.PERFORMANCE_STATUS)
@require_POST
def waiting_room_pause(request, pk):
    room = load(selectors.waiting_room_get, house=request.house, pk=pk)
    paused = request.POST.get("action") != "resume"
    attempted(
        request,
        lambda: services.waiting_room_pause(
            house=request.house, actor=request.user, room=room, paused=paused
        ),
        _("The queue is paused.") if paused else _("The queue moves again."),
    )
    return redirect("office:waiting-room-detail", pk=room.pk)
