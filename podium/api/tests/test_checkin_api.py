"""Scanning over the API: the authorisation matrix of every check-in endpoint, tenant
isolation and what each endpoint answers."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from podium.api import checkin as checkin_api
from podium.checkin.models import Scan
from podium.sales.tests.test_tickets_support import make_order, make_performance
from podium.sales.tickets.signing import ticket_payload
from podium.tenancy.services import api_key_create

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SCAN, VERIFY, VIEW = "checkin.scan", "sales.ticket.verify", "sales.order.view"
ALL = [SCAN, VERIFY, VIEW]


@dataclass
class World:
    performance: object
    ticket: object
    code: str


def _key(house, scopes):
    with scopes_disabled():
        secret = api_key_create(house=house, actor=None, name="Deur", scopes=scopes)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _tonight(house):
    """A performance starting in half an hour: its doors are open now."""
    starts = timezone.now().replace(microsecond=0) + timedelta(minutes=30)
    return make_performance(house, starts_at=starts)


@pytest.fixture
def world(house):
    with scopes_disabled():
        performance = _tonight(house)
        ticket = make_order(
            house, performances=[performance], tickets=2
        ).tickets.first()
        return World(performance, ticket, ticket_payload(ticket))


def _endpoints(w: World):
    """name → (method, path, body)."""
    pk = w.performance.pk
    scan = {"client_id": "c1", "code": w.code, "entrance": "A"}
    scan |= {"scanned_at": timezone.now().isoformat(), "admitted_offline": True}
    return {
        "scan": ("post", "/checkin/scan", {"performance_id": pk, "code": w.code}),
        "sync": (
            "post",
            "/checkin/sync",
            {"performance_id": pk, "device": "phone-1", "scans": [scan]},
        ),
        "package": ("get", f"/checkin/performances/{pk}/package", None),
        "attendance": ("get", f"/checkin/performances/{pk}/attendance", None),
    }


ENDPOINTS = ["scan", "sync", "package", "attendance"]


def _call(client, method, path, body, headers):
    url = f"/api/v1{path}"
    if body is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(url, body, "application/json", **headers)


PK = 4242


class _Pk:
    pk = PK


def test_the_matrix_covers_every_checkin_endpoint():
    routes = {
        (method.lower(), path)
        for path, view in checkin_api.router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }

    covered = {
        (method, path.replace(f"/{PK}/", "/{performance_id}/"))
        for method, path, _body in _endpoints(World(_Pk(), None, "")).values()
    }
    assert routes == covered
    assert sorted(ENDPOINTS) == sorted(_endpoints(World(_Pk(), None, "")))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "actor",
    ["anonymous", "invalid_key", "staff_session", "other_house", "no_scope", "scoped"],
)
def test_authorisation_matrix(
    client, world, house, other_house, staff_factory, endpoint, actor
):
    method, path, body = _endpoints(world)[endpoint]
    headers = {}
    if actor == "invalid_key":
        headers = {"HTTP_AUTHORIZATION": "Bearer pk_0000000000_nope"}
    elif actor == "staff_session":
        client.force_login(staff_factory(house, "house_admin"))
    elif actor == "other_house":
        headers = _key(other_house, ALL)
    elif actor == "no_scope":
        headers = _key(house, [VERIFY, VIEW])
    elif actor == "scoped":
        headers = _key(house, [SCAN])

    response = _call(client, method, path, body, headers)

    expected = {
        "anonymous": 401,
        "invalid_key": 401,
        "staff_session": 401,  # the API takes keys, not office sessions
        "other_house": 404,
        "no_scope": 403,
        "scoped": 200,
    }[actor]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == PROBLEM
        assert response.json()["status"] == expected
        with scopes_disabled():
            assert not Scan.objects.exists()


def test_missing_scope_names_it(client, world, house):
    method, path, body = _endpoints(world)["scan"]

    response = _call(client, method, path, body, _key(house, [VERIFY]))

    assert response.json()["code"] == "permission_denied"
    assert "checkin.scan" in response.json()["detail"]


def test_scan_admits_once_then_says_when(client, world, house):
    auth = _key(house, [SCAN])
    body = {"performance_id": world.performance.pk, "code": world.code}

    first = client.post(
        "/api/v1/checkin/scan", {**body, "entrance": "B"}, "application/json", **auth
    ).json()
    again = client.post("/api/v1/checkin/scan", body, "application/json", **auth).json()

    assert first == {
        "admitted": True,
        "reason": "valid",
        "message": first["message"],
        "ticket_id": world.ticket.pk,
        "ticket_label": "Volle prijs",
        "holder": "Ann Peeters",
        "first_scanned_at": None,
        "first_entrance": "",
    }
    assert (again["admitted"], again["reason"], again["first_entrance"]) == (
        False,
        "already_scanned",
        "B",
    )
    assert again["first_scanned_at"]
    with scopes_disabled():
        scan = Scan.objects.get(result="admitted")
    assert scan.actor_label.startswith("API key") and scan.actor is None


def test_scan_of_another_house_code_is_refused(client, world, house, other_house):
    with scopes_disabled():
        foreign = make_order(other_house, performances=[_tonight(other_house)])
        code = ticket_payload(foreign.tickets.first())

    response = client.post(
        "/api/v1/checkin/scan",
        {"performance_id": world.performance.pk, "code": code},
        "application/json",
        **_key(house, [SCAN]),
    )

    assert (response.status_code, response.json()["reason"]) == (200, "other_house")


def test_sync_answers_per_scan_and_is_idempotent(client, world, house):
    auth = _key(house, [SCAN])
    method, path, body = _endpoints(world)["sync"]
    body["scans"].append(
        {
            "client_id": "c2",
            "code": world.code,
            "entrance": "B",
            "scanned_at": (timezone.now() + timedelta(hours=1)).isoformat(),
            "admitted_offline": True,
        }
    )

    first = _call(client, method, path, body, auth).json()
    again = _call(client, method, path, body, auth).json()

    results = first["results"]
    assert [(r["client_id"], r["admitted"], r["reason"]) for r in results] == [
        ("c1", True, "valid"),
        ("c2", False, "invalid_time"),
    ]
    assert results[0]["conflict"] is False
    assert again == first
    with scopes_disabled():
        assert Scan.objects.count() == 1


def test_sync_refuses_too_many_scans_as_a_problem(client, world, house):
    method, path, body = _endpoints(world)["sync"]
    body["scans"] = body["scans"] * 501

    response = _call(client, method, path, body, _key(house, [SCAN]))

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "too_many_scans"


@pytest.mark.parametrize(
    "change",
    [
        {"performance_id": "x"},
        {"device": "d" * 65},
        {"scans": [{"client_id": "c1", "code": "x"}]},
    ],
)
def test_sync_input_that_does_not_fit_is_a_400_problem(client, world, house, change):
    method, path, body = _endpoints(world)["sync"]

    response = _call(client, method, path, body | change, _key(house, [SCAN]))

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "invalid_input"


def test_an_unknown_performance_is_a_404_problem(client, world, house):
    response = client.post(
        "/api/v1/checkin/scan",
        {"performance_id": world.performance.pk + 1000, "code": world.code},
        "application/json",
        **_key(house, [SCAN]),
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_package_and_attendance(client, world, house):
    auth = _key(house, [SCAN])
    pk = world.performance.pk
    client.post(
        "/api/v1/checkin/scan",
        {"performance_id": pk, "code": world.code},
        "application/json",
        **auth,
    )

    package = client.get(f"/api/v1/checkin/performances/{pk}/package", **auth).json()
    counts = client.get(f"/api/v1/checkin/performances/{pk}/attendance", **auth).json()

    assert package["performance"]["id"] == pk
    assert len(package["keys"]) == 1
    assert len(package["tickets"]) == 2
    assert list(package["admitted"]) == [str(world.ticket.pk)]
    assert counts == {"admitted": 1, "expected": 2}
