from django.core.management.base import BaseCommand

from podium.sales.customer_data import customers_retention_apply
from podium.tenancy.scoping import platform_scope


class Command(BaseCommand):
    help = (
        "Anonymise customers inactive for longer than the retention of every house "
        "that knows them (what the daily task does). --dry-run only lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List, change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        # Across every house: the cross-tenant scope is intended here.
        with platform_scope():
            result = customers_retention_apply(dry_run=dry_run)
        ids = ", ".join(str(pk) for pk in result.due) or "-"
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {len(result.due)} customers: {ids}")
