from . import catalog, checkin, passes, sales
from .errors import ProblemAPI, register_problem_handlers
from .ratelimit import ApiRateLimit

api = ProblemAPI(
    title="Podium API",
    version="1",
    description="Public reads of a cluster's programme (no key), and selling with "
    "a house's API key (`Authorization: Bearer pk_…`, scopes per key). Errors are "
    "RFC 9457 problem details (application/problem+json).",
    urls_namespace="api",
    throttle=[ApiRateLimit()],
)
register_problem_handlers(api)
api.add_router("/", catalog.router)
api.add_router("/", sales.router)
api.add_router("/", checkin.router)
api.add_router("/", passes.router)
