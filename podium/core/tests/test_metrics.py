"""GET /metrics: Prometheus text format 0.0.4, loopback or a bearer token."""

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from podium.core import metrics

pytestmark = pytest.mark.django_db

SAMPLE = re.compile(
    r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>[^}]*)\})? (?P<value>\S+)$"
)
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(text: str) -> tuple[dict, dict, list]:
    """HELP and TYPE by metric name, and (name, labels, value) samples; fails on any
    line that is none of these."""
    helps, types, samples = {}, {}, []
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name, _, doc = line[7:].partition(" ")
            helps[name] = doc
        elif line.startswith("# TYPE "):
            name, kind = line[7:].split(" ")
            types[name] = kind
        elif line:
            match = SAMPLE.match(line)
            assert match, f"not a sample line: {line!r}"
            labels = dict(LABEL.findall(match["labels"] or ""))
            samples.append((match["name"], labels, float(match["value"])))
    return helps, types, samples


def value(samples, name, **labels) -> float:
    found = [v for n, lab, v in samples if n == name and labels.items() <= lab.items()]
    assert len(found) == 1, (name, labels, found)
    return found[0]


@pytest.fixture(autouse=True)
def one_process(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)


@pytest.fixture
def orders(house, other_house):
    order = apps.get_model("sales", "Order")
    for code, owner, state in [
        ("M1", house, "paid"),
        ("M2", house, "paid"),
        ("M3", other_house, "paid"),
        ("M4", other_house, "pending"),
    ]:
        order.objects.create(house=owner, code=code, state=state)


def scrape(client=None, **extra):
    response = (client or Client()).get(reverse("metrics"), **extra)
    assert response.status_code == 200
    return response, parse(response.content.decode())


def test_the_text_format_and_the_orders_by_state_over_every_house(orders):
    response, (helps, types, samples) = scrape()

    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert types["podium_orders_total"] == "gauge"
    assert types["podium_holds_active"] == "gauge"
    assert types["podium_waiting_room_length"] == "gauge"
    assert types["podium_request_duration_seconds"] == "histogram"
    assert set(types) <= set(helps)
    assert value(samples, "podium_orders_total", state="paid") == 3
    assert value(samples, "podium_orders_total", state="pending") == 1
    assert value(samples, "podium_orders_total", state="refunded") == 0
    assert value(samples, "podium_holds_active") == 0
    assert value(samples, "podium_waiting_room_length") == 0


def test_the_waiting_room_length_comes_from_its_hook(monkeypatch):
    monkeypatch.setattr(metrics, "waiting_room_length", lambda: 42)

    _response, (_h, _t, samples) = scrape()

    assert value(samples, "podium_waiting_room_length") == 42


def test_the_latency_histogram_counts_requests_by_url_name(client, house):
    name = "podium_request_duration_seconds"
    _r, (_h, _t, before) = scrape()
    count_before = {
        route: sum(
            v
            for n, lab, v in before
            if n == f"{name}_count" and lab == {"method": "GET", "route": route}
        )
        for route in ("health", "shop:home", "unmatched")
    }

    for _ in range(3):
        client.get(reverse("health"))
    client.get(reverse("shop:home"))
    client.get("/no/such/page/ABC123/")

    _r, (_h, _t, samples) = scrape()
    routes = {lab["route"] for n, lab, _v in samples if n == f"{name}_count"}
    assert "/no/such/page/ABC123/" not in routes
    for route, added in (("health", 3), ("shop:home", 1), ("unmatched", 1)):
        labels = {"method": "GET", "route": route}
        total = value(samples, f"{name}_count", **labels)
        assert total == count_before[route] + added
        assert value(samples, f"{name}_sum", **labels) > 0
        buckets = [
            (float(lab["le"]), v)
            for n, lab, v in samples
            if n == f"{name}_bucket"
            and {k: lab[k] for k in ("method", "route")} == labels
        ]
        bounds = [bound for bound, _ in buckets]
        assert bounds == [*metrics.BUCKETS, float("inf")]
        counts = [count for _, count in buckets]
        assert counts == sorted(counts)  # cumulative
        assert counts[-1] == total


@pytest.mark.parametrize(
    ("remote", "headers", "status"),
    [
        ("127.0.0.1", {}, 200),
        ("::1", {}, 200),
        ("203.0.113.9", {}, 403),
        ("203.0.113.9", {"HTTP_AUTHORIZATION": "Bearer wrong"}, 403),
        ("203.0.113.9", {"HTTP_AUTHORIZATION": "Bearer sesame-0123"}, 200),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, 403),
    ],
    ids=["loopback", "loopback-v6", "outside", "wrong-token", "token", "proxied"],
)
def test_only_loopback_or_the_bearer_token(settings, remote, headers, status):
    settings.PODIUM_METRICS_TOKEN = "sesame-0123"

    response = Client().get(reverse("metrics"), REMOTE_ADDR=remote, **headers)

    assert response.status_code == status
    if status == 403:
        assert b"podium_" not in response.content


def test_no_token_configured_means_no_token_accepted(settings):
    settings.PODIUM_METRICS_TOKEN = ""

    response = Client().get(
        reverse("metrics"), REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer "
    )

    assert response.status_code == 403
