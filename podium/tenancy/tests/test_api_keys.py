"""API keys: created with only a hash kept, authenticated in constant time, decided by
`can()` like staff, and put in their house's scope by TenantMiddleware."""

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from podium.core.errors import DomainError, PermissionDenied
from podium.core.models import AuditEntry
from podium.tenancy.middleware import TenantMiddleware
from podium.tenancy.models import ApiKey, Hall
from podium.tenancy.permissions import Action, can
from podium.tenancy.services import api_key_authenticate, api_key_create
from podium.tenancy.tests.factories import HallFactory

pytestmark = pytest.mark.django_db

SCOPES = ["sales.sell", "sales.order.view"]


def test_create_keeps_only_the_hash_of_the_secret(house):
    key, raw = api_key_create(house=house, actor=None, name=" Kassa ", scopes=SCOPES)

    prefix, secret = raw.removeprefix("pk_").split("_", 1)
    key.refresh_from_db()
    assert raw.startswith("pk_")
    assert prefix == key.prefix
    assert len(secret) >= 40
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(
        list(ApiKey.objects.values()), default=str
    ) and secret not in json.dumps(list(AuditEntry.objects.values()), default=str)
    assert (key.name, key.scopes, key.is_active) == ("Kassa", sorted(SCOPES), True)


def test_each_key_is_different(house):
    first = api_key_create(house=house, actor=None, name="a", scopes=SCOPES)
    second = api_key_create(house=house, actor=None, name="b", scopes=SCOPES)

    assert first[0].prefix != second[0].prefix
    assert first[1] != second[1]


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [
        ("", SCOPES, "name"),
        ("x", [], "scopes"),
        ("x", ["sales.sell", "root"], "scopes"),
    ],
)
def test_create_refuses_bad_input(house, name, scopes, field):
    with pytest.raises(DomainError) as error:
        api_key_create(house=house, actor=None, name=name, scopes=scopes)

    assert error.value.field == field
    assert not ApiKey.objects.exists()


def test_staff_need_staff_manage_to_create_a_key(house, staff_factory):
    with pytest.raises(PermissionDenied):
        api_key_create(
            house=house,
            actor=staff_factory(house, "ticketing"),
            name="x",
            scopes=SCOPES,
        )
    key, _raw = api_key_create(
        house=house, actor=staff_factory(house, "house_admin"), name="x", scopes=SCOPES
    )

    assert key.house == house


def test_authenticate_finds_the_key_and_stamps_its_use(house):
    key, raw = api_key_create(house=house, actor=None, name="a", scopes=SCOPES)

    found = api_key_authenticate(raw)

    assert found == key
    assert found.house == house
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(house, django_assert_num_queries):
    key, raw = api_key_create(house=house, actor=None, name="a", scopes=SCOPES)
    api_key_authenticate(raw)

    with django_assert_num_queries(1):  # only the look-up, no write
        api_key_authenticate(raw)
    ApiKey.objects.filter(pk=key.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=5)
    )
    with django_assert_num_queries(2):
        api_key_authenticate(raw)


def test_authenticate_refuses_wrong_revoked_and_malformed_keys(house, other_house):
    key, raw = api_key_create(house=house, actor=None, name="a", scopes=SCOPES)
    _other, other_raw = api_key_create(
        house=other_house, actor=None, name="b", scopes=SCOPES
    )
    prefix = key.prefix
    other_secret = other_raw.split("_", 2)[2]

    for wrong in (
        raw[:-1] + ("a" if raw[-1] != "a" else "b"),
        f"pk_{prefix}_{other_secret}",  # another key's secret under this prefix
        f"pk_{prefix}_",
        f"xx_{prefix}_{raw.split('_', 2)[2]}",
        "pk_",
        "",
        None,
    ):
        assert api_key_authenticate(wrong) is None
    key.is_active = False
    key.save()
    assert api_key_authenticate(raw) is None


def test_a_key_of_an_inactive_house_does_not_authenticate(house):
    _key, raw = api_key_create(house=house, actor=None, name="a", scopes=SCOPES)
    house.is_active = False
    house.save()

    assert api_key_authenticate(raw) is None


def test_can_decides_a_key_by_house_scope_and_state(house, other_house):
    key, _raw = api_key_create(house=house, actor=None, name="a", scopes=SCOPES)

    assert can(key, Action.SALES_SELL, house) is True
    assert can(key, "sales.order.view", house) is True
    assert can(key, Action.ORDER_PAY, house) is False  # not in its scopes
    assert can(key, Action.SALES_SELL, other_house) is False  # another house
    assert can(key, Action.SALES_SELL, None) is False
    key.is_active = False
    assert can(key, Action.SALES_SELL, house) is False
    key.is_active = True
    house.is_active = False
    assert can(key, Action.SALES_SELL, house) is False


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("ticketing", True), ("house_admin", True), ("programmer", False)],
)
def test_sales_actions_follow_the_roles(house, staff_factory, role, allowed):
    user = staff_factory(house, role)

    for action in (
        Action.SALES_SELL,
        Action.ORDER_VIEW,
        Action.ORDER_PAY,
        Action.TICKET_VERIFY,
    ):
        assert can(user, action, house) is allowed


class Seen:
    def __call__(self, request):
        self.request = request
        self.halls = set(Hall.objects.all())
        return HttpResponse("ok")


def _api(path, authorization=None):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    request = RequestFactory().get(path, **headers)
    request.user = AnonymousUser()
    request.session = {}
    seen = Seen()
    return TenantMiddleware(seen)(request), seen


def test_middleware_puts_a_keyed_api_request_in_its_house(house, other_house):
    mine = HallFactory(house=house)
    HallFactory(house=other_house)
    key, raw = api_key_create(house=house, actor=None, name="a", scopes=SCOPES)

    response, seen = _api("/api/v1/orders/X", f"Bearer {raw}")

    assert response.status_code == 200
    assert seen.request.api_key == key
    assert seen.request.house == house
    assert seen.request.cluster == house.cluster
    assert seen.halls == {mine}


def test_middleware_without_a_key_keeps_the_cluster_scope(house, other_house):
    halls = {HallFactory(house=house), HallFactory(house=other_house)}

    response, seen = _api("/api/v1/performances")

    assert response.status_code == 200
    assert seen.request.api_key is None
    assert seen.request.house is None
    assert seen.halls == halls


@pytest.mark.parametrize("token", ["Bearer pk_nope_nope", "Bearer ", "bearer xyz"])
def test_middleware_answers_a_bad_key_with_a_401_problem(house, token):
    response, _seen = _api("/api/v1/performances", token)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["code"] == "invalid_api_key"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bearer_header_outside_the_api_is_ignored(house):
    response, seen = _api("/", "Bearer pk_nope_nope")

    assert response.status_code == 200
    assert seen.request.api_key is None


def test_command_prints_the_secret_once(house):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "api_key_create",
        "--house",
        house.slug,
        "--name",
        "Partner",
        "--scopes",
        "sales.sell,sales.ticket.verify",
        stdout=out,
        stderr=err,
    )

    raw = out.getvalue().strip()
    key = api_key_authenticate(raw)
    assert key.name == "Partner"
    assert key.scopes == ["sales.sell", "sales.ticket.verify"]
    assert "not shown again" in err.getvalue()


def test_command_default_scopes_and_errors(house):
    out = io.StringIO()
    call_command(
        "api_key_create", "--house", house.slug, stdout=out, stderr=io.StringIO()
    )
    assert api_key_authenticate(out.getvalue().strip()).scopes == [
        "sales.order.pay",
        "sales.order.view",
        "sales.sell",
        "sales.ticket.verify",
    ]
    with pytest.raises(CommandError):
        call_command("api_key_create", "--house", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "api_key_create",
            "--house",
            house.slug,
            "--scopes",
            "everything",
            stdout=io.StringIO(),
        )
