"""Seats for a subscription: per performance, or the same seat in every one.

The same seat across a series means the same seat of one seat plan: every
performance of the series must be sold on the same plan version. Best available
then runs once on that plan, with a seat counted free only when it is free (and in
a zone the performance sells at the ticket's price category) in *every*
performance; the chosen plan seats map back to each performance's own seat rows.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.sales.models import Tariff
from podium.seating.best_available import SeatInfo, best_available
from podium.seating.models import (
    PerformanceSeat,
    PerformanceSeating,
    Seat,
    ZoneCategory,
)
from podium.seating.services import seats_for_best_available, zone_of

from .errors import PassesError, PassesErrorCode, SubscriptionSoldOut

State = PerformanceSeat.State


def seated_performances(*, performances: Sequence[Performance]) -> dict[int, int]:
    """Performance id → seat plan id, for those of `performances` sold by seat."""
    return dict(
        PerformanceSeating.objects.filter(
            house_id__in={p.house_id for p in performances},
            performance_id__in=[p.pk for p in performances],
        ).values_list("performance_id", "plan_id")
    )


def common_plan(*, performances: Sequence[Performance]) -> int:
    """The one seat plan all `performances` are sold on, or a clear error."""
    plans = seated_performances(performances=performances)
    if len(plans) != len(performances) or len(set(plans.values())) != 1:
        raise PassesError(
            _(
                "The same seat for every performance needs every performance sold "
                "by seat on the same seat plan."
            ),
            code=PassesErrorCode.INVALID,
            field="same_seat",
        )
    return next(iter(plans.values()))


def _zones(performances, references: dict[int, Tariff]) -> dict[int, set[int]]:
    zones: dict[int, set[int]] = defaultdict(set)
    for performance_id, zone, category_id in ZoneCategory.objects.filter(
        seating__performance_id__in=[p.pk for p in performances]
    ).values_list("seating__performance_id", "zone", "category_id"):
        if references[performance_id].category_id == category_id:
            zones[performance_id].add(zone)
    return zones


def _seat_rows(performances) -> dict[int, dict[int, tuple[int, str]]]:
    """plan seat id → {performance id: (performance seat id, state)}."""
    rows: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
    for pk, performance_id, seat_id, state in PerformanceSeat.objects.filter(
        house_id=performances[0].house_id,
        performance_id__in=[p.pk for p in performances],
    ).values_list("pk", "performance_id", "seat_id", "state"):
        rows[seat_id][performance_id] = (pk, state)
    return rows


def same_seats(
    *,
    performances: Sequence[Performance],
    references: dict[int, Tariff],
    count: int,
    plan_seat_ids: Sequence[int] | None = None,
) -> dict[int, list[int]]:
    """Performance id → its seat ids for the same `count` plan seats in every
    performance: the ones given, or the best ones free in all of them."""
    plan_id = common_plan(performances=performances)
    rows = _seat_rows(performances)
    if plan_seat_ids is None:
        zones = _zones(performances, references)
        seats = Seat.objects.filter(plan_id=plan_id).values_list(
            "pk",
            "section__position",
            "row_order",
            "order",
            "zone",
            "x",
            "y",
            "wheelchair",
        )
        infos = [
            SeatInfo(
                id=pk,
                section=section,
                row_order=row_order,
                order=order,
                zone=zone,
                x=x,
                y=y,
                wheelchair=wheelchair,
                free=all(
                    rows[pk].get(p.pk, (0, ""))[1] == State.FREE and zone in zones[p.pk]
                    for p in performances
                ),
            )
            for pk, section, row_order, order, zone, x, y, wheelchair in seats
        ]
        choice = best_available(infos, count)
        if choice is None:
            raise PassesError(
                _("No %(count)s seats are free at every performance of the series."),
                code=PassesErrorCode.SAME_SEAT_UNAVAILABLE,
                params={"count": count},
            )
        plan_seat_ids = choice.seat_ids
    if len(plan_seat_ids) != count or len(set(plan_seat_ids)) != count:
        raise PassesError(
            _("Choose %(count)s different seats."),
            code=PassesErrorCode.INVALID,
            field="seats",
            params={"count": count},
        )
    if any(set(rows[seat]) != {p.pk for p in performances} for seat in plan_seat_ids):
        raise PassesError(
            _("Some of these seats are not in this hall."),
            code=PassesErrorCode.INVALID,
            field="seats",
        )
    return {p.pk: [rows[seat][p.pk][0] for seat in plan_seat_ids] for p in performances}


def best_seats(*, performance: Performance, tariff: Tariff, count: int) -> list[int]:
    """The best `count` free seats of one performance at the tariff's category."""
    zone = zone_of(performance=performance, tariff=tariff)
    choice = (
        None
        if zone is None
        else seats_for_best_available(performance=performance, count=count, zone=zone)
    )
    if choice is None:
        raise SubscriptionSoldOut(
            _("Not enough seats are left for %(performance)s."),
            params={"performance": str(performance)},
        )
    return choice.seat_ids


def series_plan_seats(
    *, performances: Sequence[Performance], references: dict[int, Tariff]
) -> list[PerformanceSeat]:
    """The plan of a same-seat series to pick on: the first performance's seats,
    each shown free only when it is free (and sold at the ticket's price category)
    at every performance of the series; taken otherwise."""
    common_plan(performances=performances)
    rows = _seat_rows(performances)
    zones = _zones(performances, references)
    seats = list(
        PerformanceSeat.objects.filter(
            house_id=performances[0].house_id, performance=performances[0]
        ).select_related("seat__section")
    )
    for seat in seats:
        free = all(
            rows[seat.seat_id].get(p.pk, (0, ""))[1] == State.FREE
            and seat.seat.zone in zones[p.pk]
            for p in performances
        )
        if not free and seat.state == State.FREE:
            seat.state = State.SOLD  # shown as taken
    return seats


def series_picked(*, performance: Performance, seat_ids: Sequence[int]) -> list[int]:
    """The plan seats of the seats a visitor picked on `series_plan_seats` (seat
    ids of its first performance); ids of another performance are dropped."""
    by_pk = dict(
        PerformanceSeat.objects.filter(
            house_id=performance.house_id, performance=performance, pk__in=seat_ids
        ).values_list("pk", "seat_id")
    )
    return [by_pk[pk] for pk in seat_ids if pk in by_pk]
