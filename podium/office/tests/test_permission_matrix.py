"""Every office URL × every role: allowed exactly where ROLE_ACTIONS says so.

House A's staff get the page (200) or the action done (302) where their role grants
the URL's action, and a 403 where it does not. Staff of house B, and a coordinator of
another cluster, asking for house A's objects get a 404 (as for a missing object) or
a 403, and house A is left exactly as it was.
"""

import pytest
from django.urls import URLPattern, reverse

from podium.catalog.models import (
    Performance,
    PressQuote,
    Production,
    ProductionImage,
    VideoLink,
)
from podium.core.models import AuditEntry
from podium.office import urls as office_urls
from podium.office.access import ACCESS
from podium.tenancy.middleware import SESSION_HOUSE_KEY
from podium.tenancy.models import StaffRole
from podium.tenancy.permissions import ROLE_ACTIONS, can
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

from .helpers import (
    month_after,
    performance_data,
    png_upload,
    production_data,
    series_data,
)

Role = StaffRole.Role
HOUSE_ROLES = [role for role in Role if role != Role.CLUSTER_COORDINATOR]

# (URL name, method): every office page and every form submission.
CASES = [
    ("home", "get"),
    ("house-switch", "post"),
    ("production-list", "get"),
    ("production-detail", "get"),
    ("production-create", "get"),
    ("production-create", "post"),
    ("production-edit", "get"),
    ("production-edit", "post"),
    ("production-duplicate", "post"),
    ("image-add", "get"),
    ("image-add", "post"),
    ("video-add", "get"),
    ("video-add", "post"),
    ("press-quote-add", "get"),
    ("press-quote-add", "post"),
    ("series-create", "get"),
    ("series-create", "post"),
    ("performance-edit", "get"),
    ("performance-edit", "post"),
]
PUBLIC = {name for name, action in ACCESS.items() if action is None}


def _patterns() -> list[URLPattern]:
    return [p for p in office_urls.urlpatterns if isinstance(p, URLPattern)]


def _kwargs(name: str, world) -> dict:
    pattern = next(p for p in _patterns() if p.name == name)
    if "pk" not in pattern.pattern.converters:
        return {}
    obj = world.performance if name.startswith("performance-") else world.production
    return {"pk": obj.pk}


def _payload(name: str, world) -> dict:
    first, last = month_after()
    builders = {
        "house-switch": lambda: {"house": world.house.pk},
        "production-create": lambda: production_data(world.discipline, world.theme),
        "production-edit": lambda: production_data(
            world.discipline, title_nl="Hamlet, herwerkt"
        ),
        "production-duplicate": dict,
        "image-add": lambda: {"image": png_upload(), "alt_text_nl": "Een affiche"},
        "video-add": lambda: {"url": "https://video.example/trailer"},
        "press-quote-add": lambda: {"quote_nl": "Prachtig!", "source": "De Krant"},
        "series-create": lambda: series_data(world.hall, first, last),
        # A status change only: a ticketing officer may do this, not move the show.
        "performance-edit": lambda: performance_data(
            world.performance, status="on_sale"
        ),
    }
    return builders[name]()


def _visit(client, name: str, method: str, world):
    url = reverse(f"office:{name}", kwargs=_kwargs(name, world))
    if method == "get":
        return client.get(url)
    return client.post(url, _payload(name, world))


def _house_state(house) -> dict:
    """Everything of house A an office page could change."""
    with house_scope(house):
        return {
            "productions": list(
                Production.objects.filter(house=house)
                .order_by("pk")
                .values("pk", "title", "tags", "duration_minutes")
            ),
            "performances": list(
                Performance.objects.filter(house=house)
                .order_by("pk")
                .values("pk", "hall", "starts_at", "ends_at", "status")
            ),
            "images": ProductionImage.objects.filter(house=house).count(),
            "videos": VideoLink.objects.filter(house=house).count(),
            "quotes": PressQuote.objects.filter(house=house).count(),
            "audit": AuditEntry.objects.filter(house_id=house.pk).count(),
        }


def test_every_office_url_is_in_the_registry_with_the_action_its_view_checks():
    names = {pattern.name for pattern in _patterns()}

    assert names == set(ACCESS)
    for pattern in _patterns():
        assert getattr(pattern.callback, "office_action", None) == ACCESS[pattern.name]


def test_every_protected_url_has_a_matrix_case():
    assert {name for name, _method in CASES} == set(ACCESS) - PUBLIC


@pytest.mark.parametrize(("name", "method"), CASES)
def test_anonymous_is_sent_to_the_login_page(client, world, name, method):
    before = _house_state(world.house)

    response = _visit(client, name, method, world)

    assert response.status_code == 302
    assert response.url.startswith(reverse("office:login") + "?next=/office/")
    assert _house_state(world.house) == before


@pytest.mark.parametrize("role", HOUSE_ROLES)
@pytest.mark.parametrize(("name", "method"), CASES)
def test_house_staff_may_do_exactly_what_their_role_grants(
    client, world, staff_factory, role, name, method
):
    client.force_login(staff_factory(world.house, role))
    granted = ACCESS[name] in ROLE_ACTIONS[role]

    response = _visit(client, name, method, world)

    expected = (200 if method == "get" else 302) if granted else 403
    assert response.status_code == expected


@pytest.fixture
def outsider_factory(other_house, staff_factory):
    """Staff of house B (same cluster), or a coordinator of another cluster."""

    def make(role):
        if role == Role.CLUSTER_COORDINATOR:
            cluster = ClusterFactory()
            HouseFactory(cluster=cluster, name="Huis C")
            return staff_factory(None, role, cluster=cluster)
        return staff_factory(other_house, role)

    return make


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "method"), CASES)
def test_staff_elsewhere_cannot_reach_house_a(
    client, world, outsider_factory, role, name, method
):
    user = outsider_factory(role)
    client.force_login(user)
    before = _house_state(world.house)

    response = _visit(client, name, method, world)

    own_house = response.wsgi_request.house
    assert own_house is not None and own_house.pk != world.house.pk
    if _kwargs(name, world) or name == "house-switch":
        refused = 404 if can(user, ACCESS[name], own_house) else 403
        if name == "house-switch":
            refused = 403
        assert response.status_code == refused
    else:
        # Pages without an object id serve the user's own house, never house A's.
        assert b"Hamlet" not in response.content
    assert _house_state(world.house) == before
    assert client.session.get(SESSION_HOUSE_KEY) != world.house.pk
