from django.urls import path

from . import views

app_name = "office"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("house/", views.house_switch, name="house-switch"),
    path("productions/", views.production_list, name="production-list"),
    path("productions/new/", views.production_create, name="production-create"),
    path("productions/<int:pk>/", views.production_detail, name="production-detail"),
    path("productions/<int:pk>/edit/", views.production_edit, name="production-edit"),
    path(
        "productions/<int:pk>/duplicate/",
        views.production_duplicate,
        name="production-duplicate",
    ),
    path("productions/<int:pk>/images/", views.image_add, name="image-add"),
    path("productions/<int:pk>/videos/", views.video_add, name="video-add"),
    path(
        "productions/<int:pk>/press-quotes/",
        views.press_quote_add,
        name="press-quote-add",
    ),
    path("productions/<int:pk>/series/", views.series_create, name="series-create"),
    path(
        "performances/<int:pk>/edit/",
        views.performance_edit,
        name="performance-edit",
    ),
]
