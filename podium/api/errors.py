"""Errors as RFC 9457 problem details (`application/problem+json`).

A domain error keeps its stable `code`; its status is 404 for NotFound, 403 for
PermissionDenied, 409 for a conflict (sold out, a clash, busy, an Idempotency-Key
reused for another request) and 400 otherwise. Input that does not fit the schema
answers 400 with the pydantic errors under `errors`; a missing API key 401; a call
over the rate limit 429 with `Retry-After`.

`ProblemAPI` writes these answers into the OpenAPI schema of every operation, so a
client (and schemathesis) knows each status it can get and the problem's shape.
"""

from http import HTTPStatus

from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.schema import OpenAPISchema

from podium.core.errors import DomainError, NotFound, PermissionDenied

from .ratelimit import retry_after

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(*, status: int, code: str, detail: str, **extra) -> JsonResponse:
    body = {
        "type": f"urn:podium:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def domain_error_status(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return HTTPStatus.NOT_FOUND
    if isinstance(error, PermissionDenied):
        return HTTPStatus.FORBIDDEN
    if error.conflict:
        return HTTPStatus.CONFLICT
    return HTTPStatus.BAD_REQUEST


def on_domain_error(request, error: DomainError) -> JsonResponse:
    extra = {"field": error.field} if error.field else {}
    return problem(
        status=domain_error_status(error),
        code=str(error.code),
        detail=str(error),
        **extra,
    )


def on_validation_error(request, error: ValidationError) -> JsonResponse:
    return problem(
        status=HTTPStatus.BAD_REQUEST,
        code="invalid_input",
        detail=str(_("The request does not match the expected input.")),
        errors=[
            {"loc": list(item.get("loc", [])), "msg": item.get("msg", "")}
            for item in error.errors
        ],
    )


def on_http_404(request, error: Http404) -> JsonResponse:
    return problem(
        status=HTTPStatus.NOT_FOUND, code="not_found", detail=str(_("Not found."))
    )


def on_http_error(request, error: HttpError) -> JsonResponse:
    status = HTTPStatus(error.status_code)
    return problem(status=status, code=status.name.lower(), detail=str(error.message))


def on_authentication_error(request, error: AuthenticationError) -> JsonResponse:
    response = problem(
        status=HTTPStatus.UNAUTHORIZED,
        code="not_authenticated",
        detail=str(_("Send an API key: Authorization: Bearer pk_…")),
    )
    response["WWW-Authenticate"] = 'Bearer realm="podium"'
    return response


def on_throttled(request, error: Throttled) -> JsonResponse:
    wait = retry_after(request)
    response = problem(
        status=HTTPStatus.TOO_MANY_REQUESTS,
        code="rate_limited",
        detail=str(
            _("Too many requests; try again in %(seconds)d seconds.")
            % {"seconds": wait}
        ),
        retry_after=wait,
    )
    response["Retry-After"] = str(wait)
    return response


def register_problem_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(DomainError, on_domain_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(Http404, on_http_404)
    api.add_exception_handler(HttpError, on_http_error)


PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "examples": ["urn:podium:problem:not_found"]},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "Human-readable, translated."},
        "code": {"type": "string", "description": "Stable machine-readable code."},
        "field": {"type": "string", "description": "The input field at fault."},
        "retry_after": {"type": "integer", "description": "rate_limited: seconds."},
        "errors": {
            "type": "array",
            "description": "invalid_input: what does not fit the schema.",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {}},
                    "msg": {"type": "string"},
                },
            },
        },
    },
}
PROBLEM_STATUSES = {
    400: "Invalid input, or a request the domain refuses (problem `code`).",
    401: "No API key, or one that is not valid.",
    403: "The API key lacks the scope the operation needs.",
    404: "Not found, or not of the key's house (the same answer).",
    409: "A conflict: sold out, busy, or an Idempotency-Key reused for another body.",
    429: "Over the rate limit (per key, or per IP without one); see Retry-After.",
}
# Public reads take no key: they answer bad input, an unknown house and the limit.
PUBLIC_PROBLEM_STATUSES = (400, 404, 429)
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds until the next window.",
        "schema": {"type": "integer"},
    }
}


def document_problems(schema: dict) -> dict:
    """Declare the problem answers on every operation of an OpenAPI schema."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
        PROBLEM_SCHEMA
    )
    content = {
        PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            keyed = bool(operation.get("security"))
            statuses = PROBLEM_STATUSES if keyed else PUBLIC_PROBLEM_STATUSES
            responses = operation.setdefault("responses", {})
            for status in statuses:
                answer = {"description": PROBLEM_STATUSES[status], "content": content}
                if status == 429:
                    answer["headers"] = RETRY_AFTER
                responses.setdefault(status, answer)
    return schema


class ProblemAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI schema declares the problem answers."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        return document_problems(schema)
