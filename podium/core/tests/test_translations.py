"""The UI is Dutch first, with French and English complete: every message translated."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "podium" / "locale"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_ui_message_is_translated(language):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))

    missing = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete and not entry.translated()
    ]

    assert missing == []


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    source = {
        e.msgid: e.msgstr
        for e in polib.pofile(str(folder / "django.po"))
        if e.translated()
    }
    compiled = {
        e.msgid: e.msgstr for e in polib.mofile(str(folder / "django.mo")) if e.msgid
    }

    assert {k: v for k, v in compiled.items() if k in source} == source
