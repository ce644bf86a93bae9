from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from podium.api.urls import api
from podium.core import health, metrics

from . import metrics as platform_metrics  # noqa: F401  registers orders and holds

urlpatterns = [
    # Operations (README "Production profile"): before the shop's house slugs; no
    # session, no CSRF, cheap.
    path("health/", health.health, name="health"),
    path("metrics", metrics.metrics, name="metrics"),
    path("", include("podium.shop.urls")),
    path("office/", include("podium.office.urls")),
    path("api/v1/", api.urls),
    path("platform-admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
