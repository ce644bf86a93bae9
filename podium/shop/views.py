from django.template.response import TemplateResponse

from podium.catalog.selectors import public_performances


def home(request):
    performances = public_performances(houses=request.cluster)[:60]
    houses = request.cluster.houses.filter(is_active=True)
    return TemplateResponse(
        request, "shop/home.html", {"houses": houses, "performances": performances}
    )
