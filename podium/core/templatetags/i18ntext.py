from django import template

from podium.core.i18n import localize

register = template.Library()


@register.filter(name="i18n")
def i18n_filter(value, language=None):
    """{{ production.title|i18n }}: the text in the visitor's language, with fallback."""
    return localize(value, language)
