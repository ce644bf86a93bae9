"""Seat plans for the demo's seated halls, and their performances sold by seat.

De Steiger's Grote zaal: a curved stalls of 16 rows (two blocks of 15 around a centre
aisle, the mixing desk in row N, wheelchair spaces with companion seats at the back)
under a straight balcony of 5 rows. De Zennewijk's Theaterzaal: straight stalls of 12
rows of 20 with wheelchair spaces in the front row, and a balcony of 4 rows. Both
match the hall's capacity.
"""

from dataclasses import replace

from podium.catalog.models import Performance
from podium.seating.plans import PlanSpec, generate_section, plan_create
from podium.seating.services import performance_seating_setup
from podium.tenancy.models import Hall


def t(nl: str, fr: str, en: str) -> dict[str, str]:
    return {"nl": nl, "fr": fr, "en": en}


STALLS = t("Zaal", "Parterre", "Stalls")
BALCONY = t("Balkon", "Balcon", "Balcony")


def _flag(seats, rows: set[str], numbers: set[str], **flags):
    return [
        replace(seat, **flags) if seat.row in rows and seat.number in numbers else seat
        for seat in seats
    ]


def grote_zaal() -> PlanSpec:
    stalls = generate_section(
        name=STALLS,
        rows=16,
        seats_per_row=30,
        shape="curved",
        numbering="odd_even",
        zone_rows=[10],
        aisle_after=[15],
    )
    seats = _flag(stalls.seats, {"N"}, {"1", "2", "3", "4"}, blocked=True)  # desk
    seats = _flag(seats, {"P"}, {"29", "30"}, wheelchair=True)
    seats = _flag(seats, {"P"}, {"27", "28"}, companion=True)
    stalls = replace(stalls, seats=seats, position=0)
    back = max(seat.y for seat in seats)
    balcony = generate_section(
        name=BALCONY,
        rows=5,
        seats_per_row=32,
        numbering="continuous",
        origin_y=back + 4,
        origin_x=min(seat.x for seat in seats) - 1,
    )
    balcony_seats = [replace(seat, zone=2) for seat in balcony.seats]
    balcony_seats = _flag(
        balcony_seats, {"E"}, {"1", "2", "31", "32"}, restricted_view=True
    )
    balcony = replace(balcony, seats=balcony_seats, position=1)
    return PlanSpec(sections=[stalls, balcony])


def theaterzaal() -> PlanSpec:
    stalls = generate_section(
        name=STALLS,
        rows=12,
        seats_per_row=20,
        numbering="continuous",
        zone_rows=[7],
        aisle_after=[10],
    )
    seats = _flag(stalls.seats, {"A"}, {"1", "20"}, wheelchair=True)
    seats = _flag(seats, {"A"}, {"2", "19"}, companion=True)
    stalls = replace(stalls, seats=seats, position=0)
    balcony = generate_section(
        name=BALCONY,
        rows=4,
        seats_per_row=20,
        numbering="continuous",
        origin_y=max(seat.y for seat in seats) + 3,
        aisle_after=[10],
    )
    balcony = replace(
        balcony, seats=[replace(seat, zone=2) for seat in balcony.seats], position=1
    )
    return PlanSpec(sections=[stalls, balcony])


PLANS = {"steiger-grote-zaal": grote_zaal, "zennewijk-theaterzaal": theaterzaal}


def create_plans(halls: dict[str, Hall]) -> dict[int, object]:
    """A plan for each seated demo hall; returns them by hall id."""
    plans = {}
    for key, build in PLANS.items():
        hall = halls[key]
        plans[hall.pk] = plan_create(
            house=hall.house, actor=None, hall=hall, spec=build(), note="demo"
        )
    return plans


def sell_by_seat(performance: Performance, plan, categories: list) -> None:
    """Rank 1 at the first price category, rank 2 at the second."""
    performance_seating_setup(
        house=performance.house,
        actor=None,
        performance=performance,
        plan=plan,
        zones={1: categories[0], 2: categories[-1]},
    )
