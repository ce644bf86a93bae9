from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from podium.tenancy.permissions_doc import permissions_markdown


class Command(BaseCommand):
    help = "Write docs/permissions.md from the role × action table in the code."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "docs" / "permissions.md"
        path.write_text(permissions_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
