from ninja import NinjaAPI

from . import catalog
from .errors import register_problem_handlers

api = NinjaAPI(
    title="Podium API",
    version="1",
    description="Public reads of a cluster's programme. Errors are RFC 9457 "
    "problem details (application/problem+json).",
    urls_namespace="api",
)
register_problem_handlers(api)
api.add_router("/", catalog.router)
