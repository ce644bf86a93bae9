from ninja import NinjaAPI

from . import catalog, checkin, sales
from .errors import register_problem_handlers

api = NinjaAPI(
    title="Podium API",
    version="1",
    description="Public reads of a cluster's programme (no key), and selling with "
    "a house's API key (`Authorization: Bearer pk_…`, scopes per key). Errors are "
    "RFC 9457 problem details (application/problem+json).",
    urls_namespace="api",
)
register_problem_handlers(api)
api.add_router("/", catalog.router)
api.add_router("/", sales.router)
api.add_router("/", checkin.router)
