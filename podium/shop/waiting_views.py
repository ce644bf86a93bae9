"""The virtual waiting room in the shop: the gate on the buy page, the queue page
and the small JSON answer that the queue page polls.

The gate sends a visitor to the queue when a waiting room guards the performance
and their session holds no live admission for it. The session remembers the
visitor's entry per room (so refreshing never changes the place), the page to go
back to, and the admission token once admitted.
"""

from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from podium.catalog.models import Performance
from podium.catalog.selectors import public_houses
from podium.core.errors import DomainError, NotFound
from podium.passes.memberships import (
    member_pass_of_customer,
    membership_early_access,
)
from podium.tenancy.models import House
from podium.waitingroom.selectors import (
    waiting_room_for,
    waiting_room_for_house,
    waiting_room_public_get,
)
from podium.waitingroom.services import (
    Visit,
    waiting_room_join,
    waiting_room_visit,
)
from podium.waitingroom.tokens import admission_valid

from .session import current_customer

SESSION_ENTRIES = "waitingroom_entries"  # {room id: entry id}
SESSION_TOKENS = "waitingroom_tokens"  # {room id: admission token}
SESSION_NEXT = "waitingroom_next"  # {room id: the shop page to go back to}


class JoinForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=gettext_lazy(
            "Only to keep one place per person; we do not send you anything."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _session_map(request, key: str) -> dict:
    return request.session.get(key, {})


def _remember(request, key: str, room_pk: int, value) -> None:
    values = dict(request.session.get(key, {}))
    if value is None:
        values.pop(str(room_pk), None)
    else:
        values[str(room_pk)] = value
    request.session[key] = values


def gate(request, performance: Performance):
    """A redirect to the queue, or None when the visitor may go on."""
    now = timezone.now()
    room = waiting_room_for(performance=performance, now=now)
    if room is not None and _early_member(request, performance, room, now):
        return None
    return _gate(request, room, now)


def _early_member(request, performance, room, now) -> bool:
    """A friend of the house buying in their early sale, before the on-sale moment
    the room guards, does not queue (a room whose moment is the friends' own
    early sale queues them like everyone)."""
    start = performance.sales_start
    if start is None or now >= start or room.opens_at <= now:
        return False
    membership = member_pass_of_customer(
        house=House(pk=performance.house_id), customer=current_customer(request)
    )
    advance = membership_early_access(membership)
    return bool(advance) and now >= start - advance


def _gate(request, room, now):
    if room is None:
        return None
    token = _session_map(request, SESSION_TOKENS).get(str(room.pk))
    if admission_valid(room=room, token=token, now=now):
        return None
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('shop:waiting-room', args=[room.pk])}?{query}")


def house_waiting_room_gate(view):
    """For a shop view taking a `house_slug` (subscriptions): queue first when a
    room guards that house's whole shop."""

    @wraps(view)
    def wrapper(request, house_slug, *args, **kwargs):
        house = public_houses(cluster=request.cluster).filter(slug=house_slug).first()
        if house is not None:
            now = timezone.now()
            room = waiting_room_for_house(house_id=house.pk, now=now)
            if queued := _gate(request, room, now):
                return queued
        return view(request, house_slug, *args, **kwargs)

    return wrapper


def waiting_room_gate(view):
    """For a shop view taking a performance `pk`: queue first when a room guards it."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        performance = (
            Performance.objects.filter(pk=pk)
            .only("pk", "house_id", "production_id", "sales_start")
            .first()
        )
        if performance is not None and (queued := gate(request, performance)):
            return queued
        return view(request, pk, *args, **kwargs)

    return wrapper


def _room(pk: int):
    try:
        return waiting_room_public_get(pk=pk, now=timezone.now())
    except NotFound as error:
        raise Http404(str(error)) from error


def _target_url(room) -> str:
    if room.performance_id:
        return reverse("shop:performance", args=[room.performance_id])
    if room.production_id:
        return reverse("shop:production", args=[room.house.slug, room.production.slug])
    return reverse("shop:house-agenda", args=[room.house.slug])


def _next_url(request, room) -> str:
    given = request.GET.get("next", "")
    if given.startswith("/") and url_has_allowed_host_and_scheme(
        given, allowed_hosts={request.get_host()}
    ):
        _remember(request, SESSION_NEXT, room.pk, given)
    return _session_map(request, SESSION_NEXT).get(str(room.pk)) or _target_url(room)


def _visit(request, room) -> Visit | None:
    """The visitor's place (after an admission step), the token kept once admitted."""
    entry_id = _session_map(request, SESSION_ENTRIES).get(str(room.pk))
    if entry_id is None:
        return None
    visit = waiting_room_visit(room=room, entry_id=entry_id)
    if visit is None:  # the queue forgot this entry (e.g. a cleared store)
        _remember(request, SESSION_ENTRIES, room.pk, None)
    elif visit.token:
        _remember(request, SESSION_TOKENS, room.pk, visit.token)
    return visit


def _texts(visit: Visit) -> dict:
    if visit.admitted:
        return {
            "headline": _("It is your turn!"),
            "estimate": "",
            "announce": _("It is your turn: you can now choose your tickets."),
        }
    if visit.expired:
        text = _("Your turn has passed. Join the queue again.")
        return {"headline": text, "estimate": "", "announce": text}
    if visit.drawing:
        text = ngettext(
            "Your place is drawn by lot when sales open; %(waiting)s person is "
            "in the queue now.",
            "Your place is drawn by lot when sales open; %(waiting)s people are "
            "in the queue now.",
            visit.waiting,
        ) % {"waiting": visit.waiting}
        return {"headline": text, "estimate": "", "announce": text}
    position = visit.place.position
    headline = _("You are number %(position)s in the queue.") % {"position": position}
    if visit.minutes is None:
        estimate = _("The queue is paused for a moment; you keep your place.")
    else:
        estimate = ngettext(
            "Estimated wait: about %(minutes)s minute.",
            "Estimated wait: about %(minutes)s minutes.",
            visit.minutes,
        ) % {"minutes": visit.minutes}
    return {"headline": headline, "estimate": estimate, "announce": headline}


@never_cache
@require_http_methods(["GET", "POST"])
def waiting_room(request, pk: int):
    room = _room(pk)
    next_url = _next_url(request, room)
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not request.session.session_key:
            request.session.save()
        try:
            entry_id = waiting_room_join(
                room=room,
                session_key=request.session.session_key,
                email=form.cleaned_data["email"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            _remember(request, SESSION_ENTRIES, room.pk, entry_id)
            return redirect("shop:waiting-room", pk=room.pk)
    visit = _visit(request, room)
    context = {
        "room": room,
        "visit": visit,
        "texts": _texts(visit) if visit else None,
        "form": form,
        "next_url": next_url,
        "now": timezone.now(),
    }
    return TemplateResponse(request, "shop/waiting_room.html", context)


@never_cache
@require_GET
def waiting_room_status(request, pk: int):
    room = _room(pk)
    visit = _visit(request, room)
    if visit is None:
        return JsonResponse({"state": "not_joined"})
    return JsonResponse(
        {
            "state": visit.state,
            "position": visit.place.position,
            "waiting": visit.waiting,
            "minutes": visit.minutes,
            "paused": room.paused,
            "rate": round(visit.rate.per_minute),
            "next": _next_url(request, room) if visit.admitted else "",
            **_texts(visit),
        }
    )
