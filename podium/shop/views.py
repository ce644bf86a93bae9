from django.template.response import TemplateResponse

from podium.catalog.selectors import public_houses, public_performances

from .page_cache import shared_page

# The start page lists the coming performances up to this many; the agenda pages
# (with search and filters) show the rest.
HOME_PERFORMANCE_LIMIT = 100


@shared_page
def home(request):
    cluster = request.cluster
    performances = public_performances(houses=cluster)[:HOME_PERFORMANCE_LIMIT]
    return TemplateResponse(
        request,
        "shop/home.html",
        {
            "cluster": cluster,
            "houses": public_houses(cluster=cluster),
            "performances": performances,
        },
    )
