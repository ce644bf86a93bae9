"""Public catalogue endpoints: coming productions and performances of the cluster."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from podium.catalog.models import Performance, TaxonomyTerm
from podium.catalog.tests.factories import PerformanceFactory, ProductionFactory
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
    on_sale_performance,
)
from podium.tenancy.tests.factories import ClusterFactory, HallFactory, HouseFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _performance(house, hall, title, days=10, **fields):
    production = ProductionFactory(
        house=house, title={"nl": title, "fr": f"{title} (fr)", "en": f"{title} (en)"}
    )
    return PerformanceFactory(
        house=house,
        production=production,
        hall=hall,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=days),
        **fields,
    )


@pytest.fixture
def programme(house, hall, other_house):
    visible = _performance(house, hall, "Zichtbaar")
    _performance(house, hall, "Verborgen", days=11, visibility="hidden")
    _performance(house, hall, "Voorbij", days=-3)
    neighbour = _performance(
        other_house, HallFactory(house=other_house, name="Studio"), "Buren", days=12
    )
    elsewhere = HouseFactory(cluster=ClusterFactory(), slug="elders")
    _performance(elsewhere, HallFactory(house=elsewhere), "Elders", days=13)
    return visible, neighbour


def _titles(items):
    return [item["title"]["nl"] for item in items]


def test_performances_lists_coming_public_performances_of_the_cluster(
    client, programme
):
    response = client.get("/api/v1/performances")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert _titles(response.json()) == ["Zichtbaar", "Buren"]


def test_performance_fields(client, house, hall):
    starts_at = datetime(2027, 1, 15, 19, 0, tzinfo=UTC)
    performance = PerformanceFactory(
        house=house,
        hall=hall,
        production=ProductionFactory(house=house, title={"nl": "Stuk", "en": "Play"}),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        status=Performance.Status.SOLD_OUT,
    )

    [item] = client.get("/api/v1/performances").json()

    assert item == {
        "id": performance.pk,
        "production": performance.production_id,
        "title": {"nl": "Stuk", "en": "Play"},
        "house": "house-a",
        "hall": "Grote zaal",
        "venue": hall.venue.name,
        "starts_at": "2027-01-15T20:00:00+01:00",
        "ends_at": "2027-01-15T21:30:00+01:00",
        "doors_open_at": None,
        "status": "sold_out",
        "on_sale": False,
        "reason": "not_on_sale",
        "sold_out": False,
        "available": 0,
        "tariffs": [],
    }


def test_performances_filtered_by_house(client, programme):
    response = client.get("/api/v1/performances", {"house": "house-b"})

    assert _titles(response.json()) == ["Buren"]


def test_performances_limit(client, programme):
    response = client.get("/api/v1/performances", {"limit": 1})

    assert _titles(response.json()) == ["Zichtbaar"]


def test_productions_lists_productions_with_a_coming_public_performance(
    client, programme
):
    visible, _neighbour = programme
    visible.production.themes.add(TaxonomyTerm.objects.get(pk="1.8.2.0.0"))

    response = client.get("/api/v1/productions")

    assert response.status_code == 200
    body = response.json()
    assert _titles(body) == ["Zichtbaar", "Buren"]
    first = body[0]
    assert first["house"] == "house-a"
    assert first["title"] == {
        "nl": "Zichtbaar",
        "fr": "Zichtbaar (fr)",
        "en": "Zichtbaar (en)",
    }
    assert first["event_type"]["id"] == "0.55.0.0.0"
    assert first["themes"] == [
        {
            "id": "1.8.2.0.0",
            "name": {
                "nl": "Jazz en blues",
                "fr": "Jazz et blues",
                "en": "Jazz and blues",
            },
        }
    ]
    assert first["next_starts_at"] == timezone.localtime(visible.starts_at).isoformat()


def test_productions_filtered_by_house(client, programme):
    response = client.get("/api/v1/productions", {"house": "house-b"})

    assert _titles(response.json()) == ["Buren"]


@pytest.mark.parametrize("path", ["/api/v1/productions", "/api/v1/performances"])
@pytest.mark.parametrize("slug", ["nope", "elders"])
def test_unknown_or_foreign_house_is_a_404_problem(client, programme, path, slug):
    response = client.get(path, {"house": slug})

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "urn:podium:problem:not_found",
        "title": "Not Found",
        "status": 404,
        "detail": "Huis niet gevonden.",
        "code": "not_found",
    }


@pytest.mark.parametrize("limit", ["abc", "0", "501"])
def test_malformed_query_is_a_400_problem(client, house, limit):
    response = client.get("/api/v1/performances", {"limit": limit})

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid_input"
    assert body["type"] == "urn:podium:problem:invalid_input"
    assert body["errors"][0]["loc"] == ["query", "limit"]


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # Tenant middleware (3), then the list and two prefetches.
        ("/api/v1/productions", 6),
        # Tenant middleware (3), the list, availability (quotas, their categories,
        # price categories, expired holds) and the price lists (1).
        ("/api/v1/performances", 10),
    ],
)
@pytest.mark.parametrize("count", [2, 20])
def test_query_count_does_not_grow_with_results(
    client, django_assert_max_num_queries, house, hall, path, queries, count
):
    for day in range(count):
        performance = _performance(house, hall, f"Stuk {day}", days=day + 1)
        performance.production.themes.add(TaxonomyTerm.objects.get(pk="1.8.1.0.0"))
        category = PriceCategoryFactory(house=house, production=performance.production)
        TariffFactory(category=category)
        QuotaFactory(performance=performance, size=10)

    with django_assert_max_num_queries(queries):
        response = client.get(path)

    assert len(response.json()) == count


def test_performance_availability_and_prices(client, house, other_house):
    performance, tariff, quota = on_sale_performance(
        house, size=3, price=Decimal("12.5")
    )
    reduced = TariffFactory(
        category=tariff.category,
        kind="under_26",
        name={},
        price=Decimal("8.00"),
        max_per_order=4,
        requires_proof=True,
    )
    sold_out, _t, full = on_sale_performance(other_house, size=1)
    full.used = 1
    full.save()

    body = {item["id"]: item for item in client.get("/api/v1/performances").json()}

    item = body[performance.pk]
    assert (item["on_sale"], item["reason"], item["sold_out"], item["available"]) == (
        True,
        "on_sale",
        False,
        3,
    )
    assert item["tariffs"] == [
        {
            "id": tariff.pk,
            "kind": "full",
            "name": {"nl": "Volle prijs", "fr": "Plein tarif", "en": "Full price"},
            "price": "12.50",
            "vat_rate": "6.00",
            "category": {
                "id": tariff.category_id,
                "name": {"nl": "Rang 1", "fr": "Rang 1", "en": "Rank 1"},
            },
            "requires_proof": False,
            "box_office_only": False,
            "max_per_order": None,
            "min_per_order": None,
        },
        {
            "id": reduced.pk,
            "kind": "under_26",
            "name": {"nl": "-26", "fr": "Moins de 26 ans", "en": "Under 26"},
            "price": "8.00",
            "vat_rate": "6.00",
            "category": {
                "id": tariff.category_id,
                "name": {"nl": "Rang 1", "fr": "Rang 1", "en": "Rank 1"},
            },
            "requires_proof": True,
            "box_office_only": False,
            "max_per_order": 4,
            "min_per_order": None,
        },
    ]
    other = body[sold_out.pk]
    assert (other["on_sale"], other["reason"], other["sold_out"]) == (
        False,
        "sold_out",
        True,
    )
    assert other["available"] == 0


def test_openapi_schema_and_docs_are_served(client, house):
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200
    assert {"/api/v1/productions", "/api/v1/performances"} <= set(
        schema.json()["paths"]
    )
    assert docs.status_code == 200
