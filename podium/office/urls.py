from django.urls import path

from . import desk_views, plan_views, register_views, sales_views, seating_views, views

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
    path("productions/<int:pk>/prices/", sales_views.price_list, name="price-list"),
    path(
        "productions/<int:pk>/prices/categories/new/",
        sales_views.price_category_create,
        name="price-category-create",
    ),
    path(
        "productions/<int:pk>/prices/tariffs/new/",
        sales_views.tariff_create,
        name="tariff-create",
    ),
    path("tariffs/<int:pk>/edit/", sales_views.tariff_edit, name="tariff-edit"),
    path(
        "performances/<int:pk>/prices/",
        sales_views.performance_prices,
        name="performance-prices",
    ),
    path(
        "performances/<int:pk>/prices/customize/",
        sales_views.price_list_customize,
        name="price-list-customize",
    ),
    path("performances/<int:pk>/quotas/", sales_views.quota_list, name="quota-list"),
    path(
        "performances/<int:pk>/quotas/new/",
        sales_views.quota_create,
        name="quota-create",
    ),
    path("quotas/<int:pk>/edit/", sales_views.quota_edit, name="quota-edit"),
    path(
        "performances/<int:pk>/seats/",
        seating_views.performance_seats,
        name="performance-seats",
    ),
    path(
        "performances/<int:pk>/seats/set-up/",
        seating_views.performance_seating_setup,
        name="performance-seating-setup",
    ),
    path(
        "performances/<int:pk>/seats/change/",
        seating_views.performance_seats_change,
        name="performance-seats-change",
    ),
    path(
        "performances/<int:pk>/seats/states/",
        seating_views.performance_seat_states,
        name="performance-seat-states",
    ),
    path(
        "performances/<int:pk>/cancel/",
        sales_views.performance_cancel,
        name="performance-cancel",
    ),
    path(
        "cancellations/<int:pk>/",
        sales_views.cancellation_detail,
        name="cancellation-detail",
    ),
    path("halls/", plan_views.hall_list, name="hall-list"),
    path("halls/<int:pk>/plan/", plan_views.hall_plan, name="hall-plan"),
    path(
        "halls/<int:pk>/plan/export.json",
        plan_views.hall_plan_export_json,
        name="hall-plan-export-json",
    ),
    path(
        "halls/<int:pk>/plan/export.csv",
        plan_views.hall_plan_export_csv,
        name="hall-plan-export-csv",
    ),
    path(
        "halls/<int:pk>/plan/generate/",
        plan_views.hall_plan_generate,
        name="hall-plan-generate",
    ),
    path(
        "halls/<int:pk>/plan/import/",
        plan_views.hall_plan_import,
        name="hall-plan-import",
    ),
    path("desk/", desk_views.desk, name="desk"),
    path("desk/<int:pk>/", desk_views.desk_sale_page, name="desk-sale"),
    path("desk/orders/<str:code>/", desk_views.desk_receipt, name="desk-receipt"),
    path(
        "desk/reservations/",
        desk_views.desk_reservations,
        name="desk-reservations",
    ),
    path(
        "desk/reservations/<int:pk>/sell/",
        desk_views.desk_reservation_sell,
        name="desk-reservation-sell",
    ),
    path(
        "desk/reservations/<int:pk>/release/",
        desk_views.desk_reservation_release,
        name="desk-reservation-release",
    ),
    path("register/", register_views.register_day, name="register-day"),
    path(
        "register/close/",
        register_views.register_close_page,
        name="register-close",
    ),
    path(
        "orders/<str:code>/tickets.pdf",
        desk_views.order_tickets_pdf,
        name="order-tickets-pdf",
    ),
    path("orders/", sales_views.order_list, name="order-list"),
    path("orders/<str:code>/", sales_views.order_detail, name="order-detail"),
    path("orders/<str:code>/resend/", sales_views.order_resend, name="order-resend"),
    path("orders/<str:code>/refund/", sales_views.order_refund, name="order-refund"),
    path("orders/<str:code>/cancel/", sales_views.order_cancel, name="order-cancel"),
]
