"""Every named route of a URL namespace, reversed with placeholder arguments.

The security tests walk the whole shop and office with these, so a page added later
is covered without anyone listing it.
"""

import uuid
from dataclasses import dataclass

from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

PLACEHOLDERS = {IntConverter: 1, UUIDConverter: uuid.UUID(int=1)}


@dataclass(frozen=True)
class Route:
    name: str
    path: str

    def __str__(self) -> str:
        return self.name


def routes(namespace: str) -> list[Route]:
    _prefix, resolver = get_resolver().namespace_dict[namespace]
    found = {}
    for name, entries in resolver.reverse_dict.lists():
        if not isinstance(name, str):
            continue  # the view callables are keys too
        for _possibilities, _pattern, _defaults, converters in entries:
            kwargs = {
                key: PLACEHOLDERS.get(type(converter), "x1")
                for key, converter in converters.items()
            }
            found[name] = Route(
                f"{namespace}:{name}", reverse(f"{namespace}:{name}", kwargs=kwargs)
            )
    return sorted(found.values(), key=lambda route: route.name)
