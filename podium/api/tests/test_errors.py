"""Domain errors become RFC 9457 problems with a status that fits the error."""

import json

import pytest
from django.test import RequestFactory

from podium.api.errors import on_domain_error
from podium.catalog.errors import HallClash
from podium.core.errors import DomainError, NotFound, PermissionDenied


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotFound("Production not found."), 404, "not_found"),
        (HallClash("The hall is taken.", clashes=[]), 409, "hall_clash"),
        (DomainError("Bad dates.", code="series_empty"), 400, "series_empty"),
        (PermissionDenied("No."), 403, "permission_denied"),
    ],
)
def test_domain_error_maps_to_problem(error, status, code):
    response = on_domain_error(RequestFactory().get("/api/v1/x"), error)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:podium:problem:{code}"
    assert body["detail"] == str(error)
    assert body["title"]


def test_problem_names_the_field_and_fills_in_params():
    error = DomainError("At most %(max)s.", params={"max": 200}, field="dates")

    body = json.loads(on_domain_error(RequestFactory().get("/"), error).content)

    assert body["detail"] == "At most 200."
    assert body["field"] == "dates"
