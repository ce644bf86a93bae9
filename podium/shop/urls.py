from django.urls import path

from . import payment_views, views

app_name = "shop"
urlpatterns = [
    path("", views.home, name="home"),
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
