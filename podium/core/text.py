"""Text helpers shared by the apps: folding for search, plain text from rich text."""

import re
import unicodedata

from django.utils.html import strip_tags

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case without accents: "Céline" → "celine" (for search that ignores both)."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def plain(text: str) -> str:
    """Rich text as one line of plain text."""
    return _SPACES.sub(" ", strip_tags(text or "")).strip()
