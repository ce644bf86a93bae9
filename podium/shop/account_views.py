"""The customer's account in the cluster's shop: sign in and up, one-time links, my
tickets and orders, my data (edit, download, delete) and my preferences per house.

A customer only ever sees their own data: every page reads through the signed-in
customer (shop/session.py), and an order of someone else is "not found".
"""

import json
import time
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from podium.catalog.selectors import public_houses
from podium.core.client_ip import client_ip
from podium.customers import accounts
from podium.customers.errors import CustomerError
from podium.customers.models import Consent
from podium.passes.memberships import memberships_of_customer
from podium.passes.selectors import subscription_list_for_customer
from podium.sales import customer_data
from podium.sales.models import Ticket
from podium.sales.tickets.pdf import order_pdf
from podium.sales.tickets.validity import ADMITTING_ORDER_STATES

from .account_forms import (
    DeleteForm,
    EmailChangeForm,
    LinkRequestForm,
    PasswordForm,
    PreferencesForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
)
from .session import current_customer, customer_sign_in, customer_sign_out

SESSION_RESET_UNTIL = (
    "podium_customer_reset_until"  # may set a password without the old
)
SESSION_WISHLIST_PENDING = (
    "podium_wishlist_pending"  # performance to save after sign-in
)
SIGN_INS_PER_ADDRESS = 30  # attempts from one IP address per quarter of an hour
LINK_REQUESTS_PER_ADDRESS = 10


def customer_required(view):
    """Send a visitor who is not signed in to the sign-in page, and back after."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if current_customer(request) is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('shop:account-sign-in')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


def safe_next(request, default: str = "") -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default or reverse("shop:account")


def _link_base(request) -> str:
    return request.build_absolute_uri(reverse("shop:account-link", args=["x"]))[:-2]


def _signed_in(request, customer) -> None:
    """Put `customer` in the session and finish a save to the wish list asked for
    before signing in."""
    customer_sign_in(request, customer)
    pending = request.session.pop(SESSION_WISHLIST_PENDING, None)
    if pending:
        try:
            accounts.wishlist_add(customer=customer, performance_id=int(pending))
            messages.success(request, _("Saved on your wish list."))
        except (CustomerError, ValueError):
            pass


def _form_error(form, error: CustomerError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))
    form.mark_error(field)  # add_error came after full_clean


def _page(request, template: str, context: dict, status: int = 200):
    context.setdefault("customer", current_customer(request))
    response = TemplateResponse(request, template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ sign in and up


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if current_customer(request) is not None and request.method == "GET":
        return redirect(safe_next(request))
    action = request.POST.get("action", "")
    form = SignInForm(request.POST if action == "password" else None)
    link_form = LinkRequestForm(
        request.POST if action in ("link", "reset") else None, prefix="link"
    )
    if action == "password" and form.is_valid():
        if accounts.rate_limited(
            f"sign-in-ip:{client_ip(request)}", limit=SIGN_INS_PER_ADDRESS
        ):
            form.add_error(None, _("Too many attempts. Try again in a while."))
        else:
            try:
                customer = accounts.authenticate(
                    cluster=request.cluster,
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                )
            except CustomerError as error:
                form.add_error(None, str(error))
            else:
                _signed_in(request, customer)
                return redirect(safe_next(request))
    elif action in ("link", "reset") and link_form.is_valid():
        if not accounts.rate_limited(
            f"link-ip:{client_ip(request)}", limit=LINK_REQUESTS_PER_ADDRESS
        ):
            send = (
                accounts.sign_in_link_send
                if action == "link"
                else accounts.password_reset_send
            )
            send(
                cluster=request.cluster,
                email=link_form.cleaned_data["email"],
                link_base=_link_base(request),
            )
        return _page(
            request,
            "shop/account_check_mail.html",
            {"email": link_form.cleaned_data["email"]},
        )
    status = 400 if request.method == "POST" else 200
    return _page(
        request,
        "shop/account_sign_in.html",
        {"form": form, "link_form": link_form, "next": safe_next(request, "")},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = accounts.sign_up(
                cluster=request.cluster,
                link_base=_link_base(request),
                **form.cleaned_data,
            )
        except CustomerError as error:
            _form_error(form, error)
        else:
            if result.customer is None:
                return _page(
                    request,
                    "shop/account_check_mail.html",
                    {"email": form.cleaned_data["email"]},
                )
            _signed_in(request, result.customer)
            messages.success(
                request,
                _(
                    "Welcome! Your account is ready. We sent you an e-mail to "
                    "confirm your address."
                ),
            )
            return redirect(safe_next(request))
    return _page(
        request,
        "shop/account_sign_up.html",
        {"form": form, "next": safe_next(request, "")},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def link_use(request, token: str):
    """GET asks to confirm (mail scanners that open links must not use them up);
    POST uses the link."""
    if request.method == "GET":
        response = _page(request, "shop/account_link.html", {"token": token})
        response["Referrer-Policy"] = "no-referrer"
        return response
    try:
        result = accounts.sign_in_link_use(cluster=request.cluster, token=token)
    except CustomerError as error:
        return _page(
            request,
            "shop/account_link.html",
            {"token": token, "error": str(error), "link_form": LinkRequestForm(None)},
            status=400,
        )
    _signed_in(request, result.customer)
    if result.purpose == "reset":
        request.session[SESSION_RESET_UNTIL] = time.time() + accounts.LINK_MAX_AGE
        messages.success(request, _("You are signed in. Choose a new password."))
        return redirect(reverse("shop:account-data") + "#password")
    if result.purpose == "email":
        messages.success(request, _("Your e-mail address was changed."))
        return redirect("shop:account-data")
    messages.success(request, _("You are signed in."))
    return redirect("shop:account")


@require_POST
def sign_out(request):
    customer_sign_out(request)
    messages.success(request, _("You are signed out."))
    return redirect("shop:home")


# ------------------------------------------------------------------ my account


def _my_tickets(customer):
    orders = customer_data.orders_of(customer).filter(state__in=ADMITTING_ORDER_STATES)
    tickets = (
        Ticket.objects.filter(order__in=orders, state=Ticket.State.VALID)
        .select_related(
            "order", "performance__production", "performance__hall", "house"
        )
        .order_by("performance__starts_at", "pk")
    )
    now = timezone.now()
    coming = [t for t in tickets if t.performance.ends_at >= now]
    past = [t for t in tickets if t.performance.ends_at < now][::-1]
    return coming, past


@never_cache
@customer_required
def overview(request):
    customer = current_customer(request)
    coming, past = _my_tickets(customer)
    orders = (
        customer_data.orders_of(customer)
        .select_related("house")
        .order_by("-created_at", "-pk")
    )
    return _page(
        request,
        "shop/account_overview.html",
        {
            "coming": coming,
            "past": past,
            "orders": orders,
            "subscriptions": subscription_list_for_customer(
                customer=customer, orders=customer_data.orders_of(customer)
            ),
            "admitting": {str(state) for state in ADMITTING_ORDER_STATES},
            "my_passes": memberships_of_customer(
                customer=customer, houses=request.cluster.houses.all()
            ),
        },
    )


@never_cache
@customer_required
def order_tickets_pdf(request, code: str):
    order = (
        customer_data.orders_of(current_customer(request))
        .filter(code=code, state__in=ADMITTING_ORDER_STATES)
        .select_related("house")
        .first()
    )
    if order is None:
        raise Http404(_("Order not found."))
    response = HttpResponse(order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tickets-{order.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ my data


def _may_skip_current(request, customer) -> bool:
    return not customer.password or request.session.get(SESSION_RESET_UNTIL, 0) > (
        time.time()
    )


@never_cache
@customer_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    customer = current_customer(request)
    action = request.POST.get("action", "")
    posted = request.POST if request.method == "POST" else None
    skip_current = _may_skip_current(request, customer)
    forms = {
        "profile": ProfileForm(
            posted if action == "profile" else None,
            initial={"name": customer.name, "phone": customer.phone},
        ),
        "email": EmailChangeForm(posted if action == "email" else None),
        "password": PasswordForm(
            posted if action == "password" else None, needs_current=not skip_current
        ),
        "delete": DeleteForm(posted if action == "delete" else None),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        try:
            return _my_data_save(request, customer, action, form, skip_current)
        except CustomerError as error:
            _form_error(form, error)
    return _page(
        request,
        "shop/account_data.html",
        {**{f"{name}_form": f for name, f in forms.items()}, "action": action},
        status=400 if request.method == "POST" else 200,
    )


def _my_data_save(request, customer, action: str, form, skip_current: bool):
    data = form.cleaned_data
    if action == "profile":
        accounts.profile_update(
            customer=customer, name=data["name"], phone=data["phone"]
        )
        messages.success(request, _("Your details were saved."))
    elif action == "email":
        accounts.email_change_request(
            customer=customer, new_email=data["email"], link_base=_link_base(request)
        )
        messages.success(
            request,
            _("We sent a link to %(email)s. Your address changes when you follow it.")
            % {"email": data["email"]},
        )
    elif action == "password":
        accounts.password_change(
            customer=customer,
            new_password=data["new_password"],
            current_password=None if skip_current else data["current_password"],
        )
        request.session.pop(SESSION_RESET_UNTIL, None)
        messages.success(request, _("Your new password was saved."))
    else:
        customer_data.customer_erase(customer=customer)
        customer_sign_out(request)
        messages.success(request, _("Your account was deleted."))
        return redirect("shop:home")
    return redirect("shop:account-data")


@never_cache
@customer_required
def my_data_json(request):
    data = customer_data.customer_data_export(current_customer(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@customer_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    customer = current_customer(request)
    form = PreferencesForm(
        request.POST or None,
        houses=public_houses(cluster=request.cluster),
        current=accounts.consents_current(customer=customer),
    )
    if request.method == "POST" and form.is_valid():
        for house, purpose, granted in form.choices():
            accounts.consent_set(
                customer=customer,
                house=house,
                purpose=purpose,
                granted=granted,
                source=Consent.Source.ACCOUNT,
            )
        messages.success(request, _("Your preferences were saved."))
        return redirect("shop:account-preferences")
    return _page(request, "shop/account_preferences.html", {"form": form})
