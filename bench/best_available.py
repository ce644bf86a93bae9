"""Benchmark: best available for 4 seats in a 2,000-seat hall (target under 20 ms).

    .venv/bin/python bench/best_available.py

Prints one JSON line. The hall has 40 rows of 50 seats with an aisle after seat 25,
rank 1 in the front 16 rows and rank 2 behind, and about 60 % of the seats taken
(seeded, so every run sees the same hall). Each run chooses from the whole hall, as
the shop does on a request; no Django and no database are involved.
"""

import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from podium.seating.best_available import SeatInfo, best_available  # noqa: E402

ROWS, PER_ROW, COUNT, RUNS, TAKEN = 40, 50, 4, 200, 0.6


def hall(rng: random.Random) -> list[SeatInfo]:
    seats = []
    for row in range(ROWS):
        for seat in range(PER_ROW):
            order = seat if seat < PER_ROW // 2 else seat + 1  # the aisle
            seats.append(
                SeatInfo(
                    id=len(seats) + 1,
                    section=0,
                    row_order=row,
                    order=order,
                    zone=1 if row < 16 else 2,
                    x=order * 0.55,
                    y=row * 0.9,
                    free=rng.random() >= TAKEN,
                    wheelchair=row == ROWS - 1 and seat < 4,
                )
            )
    return seats


def main() -> None:
    seats = hall(random.Random(2024))
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        choice = best_available(seats, COUNT)
        timings.append((time.perf_counter() - started) * 1000)
    assert choice is not None and len(choice.seat_ids) == COUNT
    timings.sort()
    print(
        json.dumps(
            {
                "bench": "best_available",
                "seats": len(seats),
                "count": COUNT,
                "runs": RUNS,
                "median_ms": round(statistics.median(timings), 2),
                "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 2),
                "max_ms": round(timings[-1], 2),
                "target_ms": 20,
            }
        )
    )


if __name__ == "__main__":
    main()
