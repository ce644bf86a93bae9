"""Selling a performance by seat: set it up on a plan version, block and free seats."""

from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.sales.errors import SoldOut
from podium.sales.models import Basket, Hold, PriceCategory, Tariff
from podium.sales.promo import basket_unlocked_tariff_ids
from podium.sales.services.baskets import basket_add
from podium.sales.services.pricing import price_list, tariff_is_available
from podium.tenancy.models import House

from .best_available import Choice, SeatInfo, best_available
from .errors import SeatingError
from .models import PerformanceSeat, PerformanceSeating, Seat, SeatPlan, ZoneCategory

State = PerformanceSeat.State
ATTEMPTS = 3  # best-available choices tried before a race is answered "sold out"


class SeatingSetupError(SeatingError):
    code = "seating_invalid"


@transaction.atomic
def performance_seating_setup(
    *,
    house: House,
    actor,
    performance: Performance,
    plan: SeatPlan,
    zones: dict[int, PriceCategory],
) -> PerformanceSeating:
    """Sell `performance` by seat on `plan`, each zone at its price category.

    Creates one seat row per seat of the plan: blocked or house-kept seats of the plan
    start blocked for this performance. Refused once the performance has seats.
    """
    if performance.house_id != house.pk or plan.house_id != house.pk:
        raise NotFound(_("Performance not found."))
    if plan.hall_id != performance.hall_id:
        raise SeatingSetupError(_("This seat plan is of another hall."))
    if PerformanceSeating.objects.filter(performance=performance).exists():
        raise SeatingSetupError(_("This performance is already sold by seat."))
    plan_zones = set(plan.seats.values_list("zone", flat=True).distinct())
    missing = sorted(plan_zones - set(zones))
    if missing:
        raise SeatingSetupError(
            _("Choose a price category for rank %(zones)s."),
            params={"zones": ", ".join(map(str, missing))},
        )
    for category in zones.values():
        if category.production_id != performance.production_id:
            raise SeatingSetupError(
                _("This price category belongs to another production.")
            )
    seating = PerformanceSeating.objects.create(
        house=house, performance=performance, plan=plan
    )
    ZoneCategory.objects.bulk_create(
        ZoneCategory(seating=seating, zone=zone, category=category)
        for zone, category in sorted(zones.items())
        if zone in plan_zones
    )
    PerformanceSeat.objects.bulk_create(
        PerformanceSeat(
            house=house,
            performance=performance,
            seat_id=seat_id,
            state=State.BLOCKED if blocked or kept else State.FREE,
        )
        for seat_id, blocked, kept in Seat.objects.filter(plan=plan)
        .order_by("pk")
        .values_list("pk", "blocked", "kept")
    )
    audit_log(
        action="podium.seating.performance.set_up",
        obj=seating,
        actor=actor,
        data={"plan": plan.pk, "zones": {z: c.pk for z, c in zones.items()}},
    )
    return seating


@transaction.atomic
def seats_block(
    *, house: House, actor, performance: Performance, seat_ids: list[int], note=""
) -> int:
    """Block free seats of this performance (the mixing desk, a camera); returns how
    many were blocked. Seats held or sold meanwhile are left as they are."""
    blocked = PerformanceSeat.objects.filter(
        house_id=house.pk,
        performance_id=performance.pk,
        pk__in=seat_ids,
        state=State.FREE,
    ).update(state=State.BLOCKED, note=note[:100])
    audit_log(
        action="podium.seating.seats.blocked",
        obj=performance,
        actor=actor,
        data={"seats": sorted(seat_ids), "blocked": blocked, "note": note[:100]},
    )
    return blocked


@transaction.atomic
def seats_unblock(
    *, house: House, actor, performance: Performance, seat_ids: list[int]
) -> int:
    """Put blocked seats of this performance back on sale; returns how many."""
    freed = PerformanceSeat.objects.filter(
        house_id=house.pk,
        performance_id=performance.pk,
        pk__in=seat_ids,
        state=State.BLOCKED,
    ).update(state=State.FREE, note="")
    audit_log(
        action="podium.seating.seats.unblocked",
        obj=performance,
        actor=actor,
        data={"seats": sorted(seat_ids), "freed": freed},
    )
    return freed


class BestAvailable(NamedTuple):
    hold: Hold
    together: bool


def seats_for_best_available(
    *, performance: Performance, count: int, zone: int | None = None
) -> Choice | None:
    """The best `count` free seats of the performance (in `zone`), or None."""
    seats = PerformanceSeat.objects.filter(
        house_id=performance.house_id, performance=performance
    ).values_list(
        "pk",
        "state",
        "seat__section__position",
        "seat__row_order",
        "seat__order",
        "seat__zone",
        "seat__x",
        "seat__y",
        "seat__wheelchair",
    )
    return best_available(
        [
            SeatInfo(
                id=pk,
                section=section,
                row_order=row_order,
                order=order,
                zone=seat_zone,
                x=x,
                y=y,
                free=state == State.FREE,
                wheelchair=wheelchair,
            )
            for pk, state, section, row_order, order, seat_zone, x, y, wheelchair in seats
        ],
        count,
        zone=zone,
    )


def zone_of(*, performance: Performance, tariff: Tariff) -> int | None:
    """The best zone the tariff's price category sells, for this performance."""
    return (
        ZoneCategory.objects.filter(
            seating__performance_id=performance.pk, category_id=tariff.category_id
        )
        .order_by("zone")
        .values_list("zone", flat=True)
        .first()
    )


def basket_add_best_available(
    *,
    house: House,
    actor,
    basket: Basket,
    performance: Performance,
    tariff: Tariff,
    count: int,
    channel: str | None = None,
) -> BestAvailable:
    """Hold the best `count` seats at `tariff`; says whether they sit together.

    The choice is read, then claimed with the conditional write; when someone took
    one of them meanwhile, choose again (a few times) before answering sold out.
    """
    zone = zone_of(performance=performance, tariff=tariff)
    if zone is None:
        raise SeatingSetupError(_("This tariff is not sold by seat here."))
    for _attempt in range(ATTEMPTS):
        choice = seats_for_best_available(
            performance=performance, count=count, zone=zone
        )
        if choice is None:
            raise SoldOut(_("Not enough seats are left at this price."))
        try:
            hold = basket_add(
                house=house,
                actor=actor,
                basket=basket,
                performance=performance,
                tariff=tariff,
                seats=choice.seat_ids,
                channel=channel,
            )
        except SoldOut:
            continue
        return BestAvailable(hold, choice.together)
    raise SoldOut(_("Seats are going fast: please try again."))


def _tariff_per_category(basket, performance, kind, channel) -> dict[int, Tariff]:
    """The tariff of `kind` a picked seat of each price category is sold at. A
    category may also have a hidden tariff of that kind (only with a promo code):
    it is taken only when the basket's code unlocks it, never instead of the public
    one by chance (staff channels may sell hidden tariffs without a code)."""
    listed = [t for t in price_list(performance=performance) if t.kind == kind]
    unlocked = basket_unlocked_tariff_ids(
        basket=basket, tariffs=listed, performance=performance
    )
    chosen: dict[int, Tariff] = {}
    for tariff in sorted(
        listed, key=lambda t: (t.pk not in unlocked, t.requires_code, t.position)
    ):
        if tariff.category_id in chosen:
            continue
        availability = tariff_is_available(
            tariff=tariff, channel=channel or basket.channel, unlocked=unlocked
        )
        if availability.available:
            chosen[tariff.category_id] = tariff
    return chosen


@transaction.atomic
def basket_add_seats(
    *,
    house: House,
    actor,
    basket: Basket,
    performance: Performance,
    seat_ids: list[int],
    kind: str = Tariff.Kind.FULL,
    channel: str | None = None,
) -> list[Hold]:
    """Hold the seats a visitor picked, each at the tariff of `kind` of its rank.

    All or nothing: when one seat was taken meanwhile, none is held (SoldOut).
    """
    if not seat_ids:
        raise SeatingSetupError(_("Choose one or more seats on the plan."))
    zone_of_seat = dict(
        PerformanceSeat.objects.filter(
            house_id=house.pk, performance=performance, pk__in=seat_ids
        ).values_list("pk", "seat__zone")
    )
    if len(zone_of_seat) != len(set(seat_ids)):
        raise SeatingSetupError(_("Some of these seats are not in this hall."))
    category_of_zone = dict(
        ZoneCategory.objects.filter(seating__performance=performance).values_list(
            "zone", "category_id"
        )
    )
    tariffs = _tariff_per_category(basket, performance, kind, channel)
    by_tariff: dict[Tariff, list[int]] = {}
    for seat_id in seat_ids:
        tariff = tariffs.get(category_of_zone.get(zone_of_seat[seat_id]))
        if tariff is None:
            raise SeatingSetupError(
                _("This tariff is not sold for one of the chosen seats.")
            )
        by_tariff.setdefault(tariff, []).append(seat_id)
    return [
        basket_add(
            house=house,
            actor=actor,
            basket=basket,
            performance=performance,
            tariff=tariff,
            seats=seats,
            channel=channel,
        )
        for tariff, seats in by_tariff.items()
    ]
