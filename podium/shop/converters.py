"""Path converters of the shop's URLs."""

from django.urls.converters import SlugConverter

# The first path segments of the rest of the site (config/urls.py), which the shop's
# catch-all `/<house>/<production>/` must leave to their own URLs.
RESERVED_FIRST_SEGMENTS = frozenset(
    {"office", "api", "platform-admin", "i18n", "static", "media", "admin"}
)


class HouseSlugConverter(SlugConverter):
    """A house's slug, never one of the site's reserved first path segments."""

    def to_python(self, value: str) -> str:
        if value in RESERVED_FIRST_SEGMENTS:
            raise ValueError(value)  # no match: the resolver tries the next pattern
        return value
