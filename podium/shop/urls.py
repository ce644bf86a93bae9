from django.urls import path

from . import buy_views, payment_views, views

app_name = "shop"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "voorstelling/<int:pk>/",
        buy_views.performance_page,
        name="performance",
    ),
    path(
        "voorstelling/<int:pk>/plaatsen/",
        buy_views.performance_seat_states,
        name="performance-seats",
    ),
    path("mandje/<slug:house_slug>/", buy_views.checkout, name="checkout"),
    path(
        "mandje/<slug:house_slug>/weg/<int:pk>/",
        buy_views.hold_remove,
        name="hold-remove",
    ),
    path(
        "payments/mollie/webhook/",
        payment_views.mollie_webhook,
        name="payment-mollie-webhook",
    ),
    path(
        "payments/return/<str:order_code>/",
        payment_views.payment_return,
        name="payment-return",
    ),
]
