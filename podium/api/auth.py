"""API keys on the API: who is calling (TenantMiddleware already checked the key)
and whether the key's scopes allow the operation (the one permission function)."""

from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from podium.core.errors import PermissionDenied
from podium.tenancy.models import House
from podium.tenancy.permissions import Action, can


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer pk_<prefix>_<secret>`; no header answers 401.

    TenantMiddleware authenticated the key (an invalid one never gets here) and put
    it on `request.api_key`, with its house on `request.house`.
    """

    def authenticate(self, request, token):
        return getattr(request, "api_key", None)


api_key_auth = ApiKeyAuth()


def house_for(request, action: Action) -> House:
    """The key's house when its scopes allow `action` there, else 403."""
    if not can(request.api_key, action, request.house):
        raise PermissionDenied(
            _("This API key may not do this (it needs the scope %(scope)s)."),
            params={"scope": action.value},
        )
    return request.house
