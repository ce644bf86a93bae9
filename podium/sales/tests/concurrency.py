"""Running buyers at the same moment, for the concurrency tests on PostgreSQL."""

import threading

from django.db import connections

from podium.sales.errors import SoldOut


def run_together(jobs):
    """Start every job at the same moment, each in its own thread and connection;
    returns "sold", "sold_out" or the error of each."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=20)
            job()
            outcomes[index] = "sold"
        except SoldOut:
            outcomes[index] = "sold_out"
        except Exception as error:  # noqa: BLE001 - shown by the assertion
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
