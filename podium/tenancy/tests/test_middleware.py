import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from podium.tenancy.middleware import (
    MAX_REMEMBERED_HOSTS,
    SESSION_HOUSE_KEY,
    TenantMiddleware,
    _clusters_by_host,
)
from podium.tenancy.models import Cluster, Hall, StaffRole
from podium.tenancy.tests.factories import ClusterFactory, HallFactory, HouseFactory


class Seen:
    """A view that records what the middleware resolved and what the scope lets through."""

    def __call__(self, request):
        self.cluster = request.cluster
        self.house = request.house
        self.halls = set(Hall.objects.all())
        self.timezone = timezone.get_current_timezone_name()
        return HttpResponse("ok")


@pytest.fixture(autouse=True)
def any_host(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.PODIUM_DEFAULT_CLUSTER = ""


@pytest.fixture
def gent(db):
    cluster = ClusterFactory(slug="gent", domain="tickets.gent.example")
    return HallFactory(house=HouseFactory(cluster=cluster, name="Gent Huis"))


@pytest.fixture
def brussel(db):
    cluster = ClusterFactory(slug="brussel", domain="tickets.brussel.example")
    return HallFactory(house=HouseFactory(cluster=cluster, name="Brussel Huis"))


def _get(path, *, host="testserver", user=None, session=None):
    request = RequestFactory().get(path, HTTP_HOST=host)
    request.user = user or AnonymousUser()
    request.session = session or {}
    seen = Seen()
    response = TenantMiddleware(seen)(request)
    assert response.status_code == 200
    return seen


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("tickets.brussel.example", "brussel"),
        ("TICKETS.BRUSSEL.EXAMPLE:8000", "brussel"),
        ("tickets.gent.example", "gent"),
    ],
)
def test_shop_request_takes_the_cluster_from_the_host_and_sees_only_its_houses(
    gent, brussel, host, expected
):
    seen = _get("/", host=host)

    assert seen.cluster.slug == expected
    assert seen.house is None
    assert seen.halls == {gent if expected == "gent" else brussel}


def test_unknown_host_falls_back_to_the_configured_default_cluster(
    gent, brussel, settings
):
    settings.PODIUM_DEFAULT_CLUSTER = "brussel"

    seen = _get("/", host="127.0.0.1")

    assert seen.cluster.slug == "brussel"
    assert seen.halls == {brussel}


def test_unknown_host_without_a_default_falls_back_to_the_oldest_cluster(gent, brussel):
    seen = _get("/", host="127.0.0.1")

    assert seen.cluster == Cluster.objects.order_by("pk").first()
    assert seen.cluster.slug == "gent"


@pytest.mark.django_db
def test_shop_without_any_cluster_is_not_found():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with pytest.raises(Http404):
        TenantMiddleware(Seen())(request)


@pytest.fixture
def halls(house, other_house):
    house.timezone = "Europe/London"  # to see that the office uses the house's zone
    house.save()
    return HallFactory(house=house), HallFactory(house=other_house)


def test_office_uses_the_house_picked_in_the_session(
    staff_factory, house, other_house, halls
):
    # given a user working in A and in B, whose session picked B
    user = staff_factory(other_house, "ticketing")
    StaffRole.objects.create(user=user, role="programmer", house=house)

    seen = _get("/office/", user=user, session={SESSION_HOUSE_KEY: other_house.pk})

    # then the office is scoped to B, in B's time zone
    assert (seen.house, seen.cluster) == (other_house, other_house.cluster)
    assert seen.halls == {halls[1]}
    assert seen.timezone == "Europe/Brussels"


def test_office_ignores_a_session_house_where_the_user_does_not_work(
    staff_factory, house, other_house, halls
):
    # given a programmer of A whose session points at B
    user = staff_factory(house, "programmer")

    seen = _get("/office/", user=user, session={SESSION_HOUSE_KEY: other_house.pk})

    # then the office opens in A, in A's time zone, and B stays invisible
    assert seen.house == house
    assert seen.halls == {halls[0]}
    assert seen.timezone == "Europe/London"


@pytest.mark.parametrize("who", ["anonymous", "no-roles"])
def test_office_without_a_house_sees_no_house_data(django_user_model, halls, who):
    user = (
        AnonymousUser()
        if who == "anonymous"
        else django_user_model.objects.create_user("niemand")
    )

    seen = _get("/office/", user=user)

    assert (seen.house, seen.cluster) == (None, None)
    assert seen.halls == set()


def test_platform_admin_spans_every_house_for_a_superuser_only(
    django_user_model, staff_factory, house, halls
):
    root = django_user_model.objects.create_superuser("root", password="x")
    admin = staff_factory(house, "house_admin")

    assert _get("/platform-admin/", user=root).halls == set(halls)
    assert _get("/platform-admin/", user=admin).halls == set()


@pytest.fixture
def remembered(settings):
    settings.PODIUM_CLUSTER_CACHE_SECONDS = 60
    _clusters_by_host.clear()
    yield
    _clusters_by_host.clear()


def test_a_worker_remembers_a_hosts_cluster_and_houses_for_a_while(
    gent, brussel, remembered, django_assert_num_queries, monkeypatch
):
    first = _get("/", host="tickets.gent.example")
    HouseFactory(cluster=first.cluster, name="Later Huis", is_active=True)
    with django_assert_num_queries(1):  # the view's halls only
        again = _get("/", host="tickets.gent.example")
    assert again.cluster == first.cluster and again.halls == {gent}
    clock = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    later = _get("/", host="tickets.gent.example")
    assert later.cluster == first.cluster
    assert _clusters_by_host["tickets.gent.example"][1] != [gent.house.pk]


def test_the_remembered_hosts_are_bounded(gent, remembered):
    for number in range(MAX_REMEMBERED_HOSTS + 5):
        _get("/", host=f"h{number}.example")
    assert len(_clusters_by_host) <= MAX_REMEMBERED_HOSTS
