"""Show translated content with the `lang` of the language actually shown."""

from django import template
from django.conf import settings
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from podium.core.i18n import LANGUAGE_CODES
from podium.core.sanitize import clean_html
from podium.sales.models import Order

register = template.Library()


def _picked(value) -> tuple[str | None, str]:
    """The language `localize` would show, and its text."""
    if not isinstance(value, dict):
        return None, value or ""
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in [active, *LANGUAGE_CODES]:
        if value.get(code):
            return code, value[code]
    return None, ""


@register.filter
def lang_text(value):
    """{{ production.title|lang_text }} → <span lang="fr">…</span>, escaped."""
    code, text = _picked(value)
    if not text:
        return ""
    if code is None:
        return text
    return format_html('<span lang="{}">{}</span>', code, text)


@register.filter
def translations(value) -> list[tuple[str, str, str]]:
    """Every filled language of a translated field: (code, language name, text)."""
    names = dict(settings.LANGUAGES)
    return [
        (code, names[code], value[code])
        for code in LANGUAGE_CODES
        if isinstance(value, dict) and value.get(code)
    ]


@register.filter
def rich_text(value: str) -> str:
    """Staff-entered rich text, cleaned again on the way out."""
    return mark_safe(clean_html(value))  # noqa: S308 - nh3 keeps a safe subset


@register.filter
def euro(value) -> str:
    """24 → "€ 24,00" (the separator of the active language); empty stays empty."""
    if value is None or value == "":
        return ""
    return f"€\xa0{formats.number_format(value, 2, use_l10n=True)}"


@register.filter
def order_state(value: str) -> str:
    """ "paid" → "Paid": the label of an order state stored as plain text."""
    try:
        return Order.State(value).label
    except ValueError:
        return value
