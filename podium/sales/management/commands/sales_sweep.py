from django.core.management.base import BaseCommand

from podium.sales.tasks import expire_overdue_orders_task, release_expired_holds_task


class Command(BaseCommand):
    help = "Release expired basket holds and expire unpaid orders past their deadline (once)."

    def handle(self, *args, **options):
        holds = release_expired_holds_task()
        orders = expire_overdue_orders_task()
        self.stdout.write(
            f"Released {holds} expired holds; expired {orders} unpaid orders."
        )
