"""Show or change a house's sales settings (hold time, fees, IBAN, Mollie key)."""

from django.core.management.base import BaseCommand, CommandError

from podium.core.errors import DomainError
from podium.sales.services.pricing import (
    SECRET_SETTINGS,
    SETTINGS_FIELDS,
    sales_settings_get,
    sales_settings_update,
)
from podium.tenancy.models import House
from podium.tenancy.scoping import house_scope


class Command(BaseCommand):
    help = "Show a house's sales settings, or change some: --set name=value …"

    def add_arguments(self, parser):
        parser.add_argument("--house", required=True, help="The house's slug.")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help=f"A setting to change; known: {', '.join(sorted(SETTINGS_FIELDS))}.",
        )

    def handle(self, *args, house, set, **options):
        found = House.objects.filter(slug=house).first()
        if found is None:
            raise CommandError(f"No house with slug {house!r}.")
        changes = {}
        for item in set:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"Write {item!r} as name=value.")
            changes[name.strip()] = value.strip()
        with house_scope(found):
            try:
                row = (
                    sales_settings_update(house=found, actor=None, **changes)
                    if changes
                    else sales_settings_get(house=found)
                )
            except DomainError as error:
                raise CommandError(str(error)) from error
            for name in sorted(SETTINGS_FIELDS):
                value = getattr(row, name)
                shown = ("(set)" if value else "") if name in SECRET_SETTINGS else value
                self.stdout.write(f"{name}: {shown}")
