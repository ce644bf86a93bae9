"""Create an API key for a house and print its secret (once; only its hash is kept)."""

from django.core.management.base import BaseCommand, CommandError

from podium.core.errors import DomainError
from podium.tenancy.models import House
from podium.tenancy.permissions import Action
from podium.tenancy.services import api_key_create

SALES_SCOPES = [
    "sales.sell",
    "sales.order.view",
    "sales.order.pay",
    "sales.ticket.verify",
]


class Command(BaseCommand):
    help = "Create an API key for a house; the key is printed once."

    def add_arguments(self, parser):
        parser.add_argument("--house", required=True, help="The house's slug.")
        parser.add_argument("--name", default="API key", help="What the key is for.")
        parser.add_argument(
            "--scopes",
            default=",".join(SALES_SCOPES),
            help="Comma-separated actions the key may do (default: the sales "
            f"scopes). Known: {', '.join(Action.values)}.",
        )

    def handle(self, *args, house, name, scopes, **options):
        found = House.objects.filter(slug=house).first()
        if found is None:
            raise CommandError(f"No house with slug {house!r}.")
        wanted = [scope.strip() for scope in scopes.split(",") if scope.strip()]
        try:
            key, secret = api_key_create(
                house=found, actor=None, name=name, scopes=wanted
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"Key {key.prefix} for {found.name} with scopes {', '.join(key.scopes)}. "
            "Keep it now: it is not shown again."
        )
        self.stdout.write(secret)
