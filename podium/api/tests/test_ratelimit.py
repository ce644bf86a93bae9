"""Rate limits: per API key, and per client IP for calls without a key."""

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled

from podium.api.ratelimit import Rate, hit, parse_rate
from podium.core.client_ip import client_ip
from podium.tenancy.services import api_key_create

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/productions"
WITH_KEY = "/api/v1/orders/NOPE"  # the key's call counts, even when it finds nothing


@pytest.fixture(autouse=True)
def small_limits(settings):
    cache.clear()
    settings.PODIUM_API_RATE_PER_KEY = "3/min"
    settings.PODIUM_API_RATE_PER_IP = "2/min"
    yield
    cache.clear()


def bearer(house) -> dict:
    with scopes_disabled():
        secret = api_key_create(
            house=house, actor=None, name="k", scopes=["sales.order.view"]
        )[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_fourth_call_of_a_key_limited_to_three_is_a_429_problem(client, house):
    key = bearer(house)

    statuses = [client.get(WITH_KEY, **key).status_code for _ in range(3)]
    refused = client.get(WITH_KEY, **key)

    assert statuses == [404, 404, 404]
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert (body["status"], body["code"]) == (429, "rate_limited")
    assert body["retry_after"] == int(refused["Retry-After"])


def test_another_key_is_not_affected(client, house, other_house):
    first, second = bearer(house), bearer(other_house)
    for _ in range(4):
        client.get(WITH_KEY, **first)

    response = client.get(WITH_KEY, **second)

    assert response.status_code == 404


def test_public_calls_are_limited_per_client_ip(client, house):
    statuses = [
        client.get(PUBLIC, REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)
    ]
    other_ip = client.get(PUBLIC, REMOTE_ADDR="198.51.100.8")

    assert statuses == [200, 200, 429]
    assert other_ip.status_code == 200


def test_a_forged_forwarded_for_does_not_escape_the_ip_limit(client, house):
    statuses = [
        client.get(
            PUBLIC, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_behind_one_proxy_the_address_it_saw_counts(rf, settings):
    settings.PODIUM_NUM_PROXIES = 1
    request = rf.get(
        PUBLIC, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )

    assert client_ip(request) == "203.0.113.9"


def test_a_key_refused_for_the_limit_does_not_count_against_public_calls(client, house):
    key = bearer(house)
    for _ in range(4):
        client.get(WITH_KEY, **key)

    assert client.get(PUBLIC).status_code == 200


def test_no_limit_when_the_setting_is_empty(client, house, settings):
    settings.PODIUM_API_RATE_PER_IP = ""

    statuses = {client.get(PUBLIC).status_code for _ in range(5)}

    assert statuses == {200}


def test_the_window_starts_again_after_its_period():
    rate = Rate(count=1, seconds=60)

    assert hit("t", rate, now=120.0) == 0
    assert hit("t", rate, now=150.0) == 30  # refused: 30 s left in the window
    assert hit("t", rate, now=180.0) == 0  # a new window


@pytest.mark.parametrize(
    ("text", "rate"),
    [("600/min", Rate(600, 60)), ("5/s", Rate(5, 1)), ("1000/day", Rate(1000, 86400))],
)
def test_rates_are_parsed(text, rate):
    assert parse_rate(text) == rate


def test_a_bad_rate_is_an_error():
    with pytest.raises(ValueError, match="Invalid rate"):
        parse_rate("lots")
