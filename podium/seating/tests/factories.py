"""Seat plans for tests, written through the real service (`plan_create`)."""

from podium.seating.models import SeatPlan
from podium.seating.plans import PlanSpec, generate_section, plan_create
from podium.tenancy.models import Hall
from podium.tenancy.tests.factories import HallFactory

STALLS = {"nl": "Zaal", "fr": "Salle", "en": "Stalls"}
BALCONY = {"nl": "Balkon", "fr": "Balcon", "en": "Balcony"}


def small_plan_spec(
    *, rows: int = 3, seats: int = 6, zone_rows: list[int] | None = None, **options
) -> PlanSpec:
    """One section "Zaal" of `rows` rows (A, B, …) of `seats` seats, numbered 1…n
    from the left, straight, x 0…n-1 and rows 1.2 apart; row A is rank 1 and the
    other rows rank 2 unless `zone_rows` says otherwise. `options` go to
    `generate_section` (shape, numbering, aisle_after, …).
    """
    section = generate_section(
        name=STALLS,
        rows=rows,
        seats_per_row=seats,
        zone_rows=[1] if zone_rows is None else zone_rows,
        **options,
    )
    return PlanSpec(sections=[section])


def seat_plan_make(
    *,
    house,
    hall: Hall | None = None,
    rows: int = 3,
    seats: int = 6,
    zone_rows: list[int] | None = None,
    actor=None,
    **options,
) -> SeatPlan:
    """The next plan version of `hall` (default: a new seated hall of `house`) with
    the seats of `small_plan_spec`. Run it inside the house's scope or in a fixture.
    """
    hall = hall or HallFactory(house=house, capacity=max(rows * seats, 1))
    spec = small_plan_spec(rows=rows, seats=seats, zone_rows=zone_rows, **options)
    return plan_create(house=house, actor=actor, hall=hall, spec=spec)
