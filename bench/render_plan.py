"""Benchmark: drawing an 800-seat plan as SVG on the server (target under 100 ms).

    .venv/bin/python bench/render_plan.py

Prints one JSON line. Measures building the seat views and the SVG from seats already
read (the picker's database read is one query, measured separately by the page).
"""

import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from podium.seating.render import SeatView, plan_svg  # noqa: E402

ROWS, PER_ROW, RUNS = 20, 40, 50


def hall() -> list[SeatView]:
    seats = []
    for row in range(ROWS):
        for order in range(PER_ROW):
            seats.append(
                SeatView(
                    id=row * PER_ROW + order + 1,
                    section="Zaal" if row < 14 else "Balkon",
                    section_position=0 if row < 14 else 1,
                    row=chr(ord("A") + row),
                    row_order=row,
                    number=str(order + 1),
                    order=order,
                    x=float(order),
                    y=row * 1.2 + (2 if row >= 14 else 0),
                    zone=1 if row < 8 else 2,
                    state="free" if (row * 7 + order) % 3 else "sold",
                    price=Decimal("24.00") if row < 8 else Decimal("19.50"),
                    wheelchair=row == 0 and order < 4,
                )
            )
    return seats


def main() -> None:
    seats = hall()
    timings = []
    with translation.override("nl"):
        for _run in range(RUNS):
            started = time.perf_counter()
            svg = plan_svg(seats)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        json.dumps(
            {
                "bench": "render_plan",
                "seats": len(seats),
                "runs": RUNS,
                "svg_kb": round(len(svg.encode()) / 1024, 1),
                "median_ms": round(statistics.median(timings), 2),
                "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 2),
                "max_ms": round(timings[-1], 2),
                "target_ms": 100,
            }
        )
    )


if __name__ == "__main__":
    main()
