from pathlib import Path

from django.conf import settings

from podium.tenancy.permissions import Action
from podium.tenancy.permissions_doc import permissions_markdown


def test_docs_permissions_md_is_what_the_code_decides():
    written = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text()

    assert written == permissions_markdown(), (
        "docs/permissions.md is stale: run `manage.py permissions_doc`"
    )


def test_every_action_has_a_row():
    document = permissions_markdown()

    for action in Action:
        assert f"`{action.value}`" in document
