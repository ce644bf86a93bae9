from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.utils import timezone

from config.celery import app
from podium.sales import tasks
from podium.sales.models import Hold, Order, Quota
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_place
from podium.sales.tasks import expire_overdue_orders_task, release_expired_holds_task
from podium.sales.tests.factories import on_sale_performance
from podium.sales.tickets.mail import on_order_paid
from podium.tenancy.scoping import house_scope, platform_scope


def test_the_periodic_sweep_releases_holds_and_expires_orders_across_houses(
    house, other_house
):
    shows = [on_sale_performance(h, size=10) for h in (house, other_house)]
    for h, (performance, tariff, _quota) in zip(
        (house, other_house), shows, strict=True
    ):
        with house_scope(h):
            held = basket_create(house=h)
            basket_add(
                house=h,
                actor=None,
                basket=held,
                performance=performance,
                tariff=tariff,
                quantity=3,
            )
            ordered = basket_create(house=h)
            basket_add(
                house=h,
                actor=None,
                basket=ordered,
                performance=performance,
                tariff=tariff,
                quantity=2,
            )
            order_place(
                house=h,
                actor=None,
                basket=ordered,
                buyer_name="B",
                buyer_email="b@example.be",
            )
    out = StringIO()

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        call_command("sales_sweep", stdout=out)

    assert (
        out.getvalue().strip() == "Released 2 expired holds; expired 2 unpaid orders."
    )
    with platform_scope():
        assert set(Order.objects.values_list("state", flat=True)) == {
            Order.State.EXPIRED
        }
        assert Hold.objects.filter(state=Hold.State.HELD).count() == 0
        assert [q.used for q in Quota.objects.order_by("pk")] == [0, 0]


def test_celery_runs_inline_without_a_broker_and_beats_every_minute(settings):
    assert settings.CELERY_BROKER_URL == ""
    assert app.conf.task_always_eager is True
    assert {
        name: (entry["task"], entry["schedule"])
        for name, entry in app.conf.beat_schedule.items()
    } == {
        "release-expired-holds": (
            "podium.sales.tasks.release_expired_holds_task",
            60.0,
        ),
        "expire-overdue-orders": (
            "podium.sales.tasks.expire_overdue_orders_task",
            60.0,
        ),
        "waiting-rooms-step": (
            "podium.waitingroom.tasks.waiting_rooms_step_task",
            10.0,
        ),
        "sessions-clear": ("podium.core.tasks.sessions_clear_task", 24 * 60 * 60.0),
        "customers-retention": (
            "podium.sales.tasks.customers_retention_task",
            24 * 60 * 60.0,
        ),
        "membership-reminders": (
            "podium.passes.tasks.membership_reminders_task",
            24 * 60 * 60.0,
        ),
    }


def test_the_tasks_run_eagerly_and_report_what_they_did(house):
    performance, tariff, quota = on_sale_performance(house, size=10)
    with house_scope(house):
        basket = basket_create(house=house)
        basket_add(
            house=house,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=4,
        )

    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        first = release_expired_holds_task.delay().get()
        again = release_expired_holds_task.delay().get()
        orders = expire_overdue_orders_task.delay().get()

    assert (first, again, orders) == (1, 0, 0)
    with platform_scope():
        assert Quota.objects.get(pk=quota.pk).used == 0


def test_a_paid_order_hands_its_confirmation_to_a_worker(monkeypatch, mailoutbox):
    queued = []
    monkeypatch.setitem(app.conf, "task_always_eager", False)  # a broker is set
    monkeypatch.setattr(tasks.order_confirmation_task, "delay", queued.append)

    on_order_paid(4711)

    assert queued == [4711]  # queued for a worker
    assert mailoutbox == []  # nothing rendered or sent in the request
