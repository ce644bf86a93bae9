"""Who may open which office page: one registry, one decorator, one loader.

Every office view is wrapped in `office_view(action)`, which asks the one permission
function (`podium.tenancy.permissions.can`) about the current house. `ACCESS` names
the action of every office URL; the permission matrix test checks that both agree and
that no URL is left out.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from podium.core.errors import NotFound
from podium.tenancy.permissions import Action, can
from podium.tenancy.two_factor import two_factor_setup_needed

# URL name (in the "office" namespace) → the action it needs; None: public pages.
ACCESS: dict[str, Action | None] = {
    "login": None,
    "login-code": None,
    "logout": None,
    "password-reset": None,
    "password-reset-done": None,
    "password-reset-confirm": None,
    "password-reset-complete": None,
    "two-factor": Action.OFFICE_VIEW,
    "two-factor-disable": Action.OFFICE_VIEW,
    "home": Action.OFFICE_VIEW,
    "house-switch": Action.OFFICE_VIEW,
    "production-list": Action.PRODUCTION_VIEW,
    "production-detail": Action.PRODUCTION_VIEW,
    "production-create": Action.PRODUCTION_CREATE,
    "production-duplicate": Action.PRODUCTION_CREATE,
    "production-edit": Action.PRODUCTION_EDIT,
    "image-add": Action.PRODUCTION_EDIT,
    "video-add": Action.PRODUCTION_EDIT,
    "press-quote-add": Action.PRODUCTION_EDIT,
    "series-create": Action.PERFORMANCE_SCHEDULE,
    "performance-edit": Action.PERFORMANCE_STATUS,
    "price-list": Action.PRODUCTION_VIEW,
    "price-category-create": Action.PRICE_EDIT,
    "tariff-create": Action.PRICE_EDIT,
    "tariff-edit": Action.PRICE_EDIT,
    "performance-prices": Action.PRODUCTION_VIEW,
    "price-list-customize": Action.PRICE_EDIT,
    "quota-list": Action.PRODUCTION_VIEW,
    "desk": Action.SALES_SELL,
    "desk-sale": Action.SALES_SELL,
    "desk-receipt": Action.SALES_SELL,
    "desk-reservations": Action.SALES_SELL,
    "desk-reservation-sell": Action.SALES_SELL,
    "desk-reservation-release": Action.SALES_SELL,
    "attendance-now": Action.OFFICE_VIEW,
    "checkin-list": Action.CHECKIN_SCAN,
    "checkin-scanner": Action.CHECKIN_SCAN,
    "checkin-package": Action.CHECKIN_SCAN,
    "checkin-scan": Action.CHECKIN_SCAN,
    "checkin-sync": Action.CHECKIN_SCAN,
    "checkin-attendance": Action.CHECKIN_SCAN,
    "register-day": Action.SALES_SELL,
    "register-close": Action.SALES_SELL,
    "order-tickets-pdf": Action.ORDER_VIEW,
    "performance-seats": Action.PRODUCTION_VIEW,
    "performance-seating-setup": Action.QUOTA_EDIT,
    "performance-seats-change": Action.QUOTA_EDIT,
    "performance-seat-states": Action.PRODUCTION_VIEW,
    "quota-create": Action.QUOTA_EDIT,
    "quota-edit": Action.QUOTA_EDIT,
    "performance-cancel": Action.PERFORMANCE_CANCEL,
    "cancellation-detail": Action.PERFORMANCE_CANCEL,
    "hall-list": Action.VENUE_VIEW,
    "hall-plan": Action.VENUE_VIEW,
    "hall-plan-export-json": Action.VENUE_VIEW,
    "hall-plan-export-csv": Action.VENUE_VIEW,
    "hall-plan-generate": Action.VENUE_MANAGE,
    "hall-plan-import": Action.VENUE_MANAGE,
    "order-list": Action.ORDER_VIEW,
    "order-detail": Action.ORDER_VIEW,
    "order-resend": Action.ORDER_MANAGE,
    "order-refund": Action.ORDER_REFUND,
    "order-cancel": Action.ORDER_MANAGE,
    "order-exchange": Action.ORDER_MANAGE,
    "ticket-holder": Action.ORDER_MANAGE,
    "customer-list": Action.CUSTOMER_VIEW,
    "customer-lookup": Action.CUSTOMER_VIEW,
    "customer-detail": Action.CUSTOMER_VIEW,
    "customer-create": Action.CUSTOMER_MANAGE,
    "customer-edit": Action.CUSTOMER_MANAGE,
    "customer-note-add": Action.CUSTOMER_MANAGE,
    "customer-export": Action.CUSTOMER_VIEW,
    "customer-export-json": Action.CUSTOMER_VIEW,
    "customer-erase": Action.CUSTOMER_ERASE,
    "privacy": Action.PRIVACY_MANAGE,
    "audit-log": Action.AUDIT_VIEW,
    "waiting-room-list": Action.PRODUCTION_VIEW,
    "waiting-room-create": Action.PERFORMANCE_STATUS,
    "waiting-room-detail": Action.PRODUCTION_VIEW,
    "waiting-room-edit": Action.PERFORMANCE_STATUS,
    "waiting-room-figures": Action.PRODUCTION_VIEW,
    "waiting-room-pause": Action.PERFORMANCE_STATUS,
    "subscription-type-list": Action.ORDER_VIEW,
    "subscription-type-create": Action.PRICE_EDIT,
    "subscription-report": Action.ORDER_VIEW,
    "subscription-type-detail": Action.ORDER_VIEW,
    "subscription-type-edit": Action.PRICE_EDIT,
    "subscription-tariff-create": Action.PRICE_EDIT,
    "subscription-capacity": Action.QUOTA_EDIT,
    "subscription-sell": Action.SALES_SELL,
    "membership-type-list": Action.ORDER_VIEW,
    "membership-type-create": Action.PRICE_EDIT,
    "membership-type-edit": Action.PRICE_EDIT,
    "membership-list": Action.ORDER_VIEW,
    "membership-sell": Action.SALES_SELL,
    "membership-report": Action.ORDER_VIEW,
    "voucher-list": Action.ORDER_VIEW,
    "voucher-sell": Action.SALES_SELL,
    "voucher-detail": Action.ORDER_VIEW,
    "voucher-pdf": Action.SALES_SELL,
    "promo-code-list": Action.ORDER_VIEW,
    "promo-code-create": Action.PRICE_EDIT,
    "promo-code-edit": Action.PRICE_EDIT,
    "promo-code-deactivate": Action.PRICE_EDIT,
}


def allowed_actions(user, house) -> dict[str, bool]:
    """{"production_edit": True, ...}: what the templates may offer this user."""
    return {action.name.lower(): can(user, action, house) for action in Action}


def office_view(action: Action, *, two_factor_setup: bool = False):
    """Anonymous → log-in page; a house administrator without two-step verification →
    its set-up page (every office page but that one); no house or no permission → a
    403 page saying why."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not two_factor_setup and two_factor_setup_needed(request.user):
                return redirect("office:two-factor")
            if request.house is None:
                return TemplateResponse(request, "office/no_house.html", status=403)
            if not can(request.user, action, request.house):
                return TemplateResponse(
                    request, "office/forbidden.html", {"action": action}, status=403
                )
            request.may = allowed_actions(request.user, request.house)
            return view(request, *args, **kwargs)

        wrapper.office_action = action
        return wrapper

    return decorator


def load(selector, **kwargs):
    """An object through its selector; missing and forbidden are the same 404."""
    try:
        return selector(**kwargs)
    except NotFound as error:
        raise Http404(str(error)) from error
