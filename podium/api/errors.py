"""Errors as RFC 9457 problem details (`application/problem+json`).

A domain error keeps its stable `code`; its status is 404 for NotFound, 403 for
PermissionDenied, 409 for a conflict (sold out, a clash, busy, an Idempotency-Key
reused for another request) and 400 otherwise. Input that does not fit the schema
answers 400 with the pydantic errors under `errors`; a missing API key 401.
"""

from http import HTTPStatus

from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from podium.core.errors import DomainError, NotFound, PermissionDenied

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


def register_problem_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(DomainError, on_domain_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(Http404, on_http_404)
    api.add_exception_handler(HttpError, on_http_error)
