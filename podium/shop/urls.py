from django.urls import path, register_converter

from . import (
    account_views,
    agenda_views,
    buy_views,
    pass_views,
    payment_views,
    production_views,
    subscription_views,
    views,
    waiting_views,
    widget_views,
    wishlist_views,
)
from .converters import HouseSlugConverter

register_converter(HouseSlugConverter, "house_slug")

app_name = "shop"
urlpatterns = [
    path("", views.home, name="home"),
    path("agenda/", agenda_views.agenda_list, name="agenda"),
    path("agenda/kalender/", agenda_views.agenda_calendar, name="agenda-calendar"),
    path(
        "huis/<slug:house_slug>/agenda/",
        agenda_views.agenda_list,
        name="house-agenda",
    ),
    path(
        "huis/<slug:house_slug>/agenda/kalender/",
        agenda_views.agenda_calendar,
        name="house-agenda-calendar",
    ),
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
    path("wachtrij/<int:pk>/", waiting_views.waiting_room, name="waiting-room"),
    path(
        "wachtrij/<int:pk>/stand.json",
        waiting_views.waiting_room_status,
        name="waiting-room-status",
    ),
    path("mandje/<slug:house_slug>/", buy_views.checkout, name="checkout"),
    path(
        "mandje/<slug:house_slug>/kortingscode/",
        buy_views.checkout_promo,
        name="checkout-promo",
    ),
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
    path(
        "payments/return/<str:order_code>/cadeaubon-<str:voucher_code>.pdf",
        payment_views.order_voucher_pdf,
        name="order-voucher-pdf",
    ),
    path(
        "payments/return/<str:order_code>/tickets.pdf",
        payment_views.order_tickets_pdf,
        name="order-tickets-pdf",
    ),
    # The two pages a house's own website may frame (see widget.js).
    path(
        "widget/<slug:house_slug>/agenda/",
        widget_views.widget_agenda,
        name="widget-agenda",
    ),
    path(
        "widget/<slug:house_slug>/knop/<str:production>/",
        widget_views.widget_button,
        name="widget-button",
    ),
    path(
        "productie/<int:pk>/",
        production_views.production_by_id,
        name="production-by-id",
    ),
    path(
        "voorstelling/<int:pk>/agenda.ics",
        production_views.performance_ics,
        name="performance-ics",
    ),
    # Customer accounts and the wish list.
    path("account/", account_views.overview, name="account"),
    path("account/aanmelden/", account_views.sign_in, name="account-sign-in"),
    path("account/registreren/", account_views.sign_up, name="account-sign-up"),
    path("account/afmelden/", account_views.sign_out, name="account-sign-out"),
    path("account/link/<str:token>/", account_views.link_use, name="account-link"),
    path(
        "account/bestellingen/<str:code>/tickets.pdf",
        account_views.order_tickets_pdf,
        name="account-order-pdf",
    ),
    path("account/gegevens/", account_views.my_data, name="account-data"),
    path("account/gegevens.json", account_views.my_data_json, name="account-data-json"),
    path("account/voorkeuren/", account_views.preferences, name="account-preferences"),
    # Friends passes and gift vouchers.
    path("vrienden/", pass_views.membership_list, name="membership-list"),
    path(
        "vrienden/<slug:house_slug>/",
        pass_views.membership_page,
        name="membership",
    ),
    path("cadeaubon/", pass_views.voucher_balance, name="voucher-balance"),
    path(
        "cadeaubon/<slug:house_slug>/",
        pass_views.voucher_buy_page,
        name="voucher-buy",
    ),
    path("verlanglijst/", wishlist_views.mine, name="wishlist"),
    path("verlanglijst/bewaar/<int:pk>/", wishlist_views.add, name="wishlist-add"),
    path("verlanglijst/weg/<int:pk>/", wishlist_views.remove, name="wishlist-remove"),
    path("verlanglijst/delen/", wishlist_views.share, name="wishlist-share"),
    path("verlanglijst/<str:token>/", wishlist_views.shared, name="wishlist-shared"),
    # Keep this one last: two free path segments would shadow any pattern after it.
    path(
        "<house_slug:house_slug>/<slug:production_slug>/",
        production_views.production_page,
        name="production",
    ),
]

# Season subscriptions (three path segments or one: clear of the catch-all above).
urlpatterns += [
    path(
        "abonnementen/",
        subscription_views.subscription_list,
        name="subscription-list",
    ),
    path(
        "abonnementen/<slug:house_slug>/<int:pk>/",
        subscription_views.subscription_compose_page,
        name="subscription-compose",
    ),
    path(
        "abonnementen/<slug:house_slug>/vastgehouden/<int:pk>/",
        subscription_views.subscription_held,
        name="subscription-held",
    ),
    path(
        "abonnementen/<slug:house_slug>/vastgehouden/<int:pk>/weg/",
        subscription_views.subscription_remove,
        name="subscription-remove",
    ),
]
