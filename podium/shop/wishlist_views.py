"""The wish list: save performances, share the list read-only by link, buy from it.

Saving works for a visitor who is not signed in too: the performance waits in the
session, the visitor signs in (or up) and comes back with it saved.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from podium.catalog.selectors import public_performances
from podium.core.errors import NotFound
from podium.customers import accounts
from podium.customers.errors import CustomerError

from .account_views import (
    SESSION_WISHLIST_PENDING,
    _page,
    customer_required,
    safe_next,
)
from .session import current_customer


def _public_performance(request, pk: int):
    performance = public_performances(houses=request.cluster).filter(pk=pk).first()
    if performance is None:
        raise Http404(_("This performance is not in our programme."))
    return performance


@never_cache
@require_http_methods(["GET", "POST"])
def add(request, pk: int):
    """GET: a page with the button (also where a bare link lands); POST: save."""
    performance = _public_performance(request, pk)
    back = safe_next(request, reverse("shop:performance", args=[pk]))
    customer = current_customer(request)
    if request.method == "GET":
        saved = customer is not None and pk in accounts.wishlist_performance_ids(
            customer=customer
        )
        return _page(
            request,
            "shop/wishlist_add.html",
            {"performance": performance, "saved": saved, "back": back},
        )
    if customer is None:
        request.session[SESSION_WISHLIST_PENDING] = pk
        messages.info(request, _("Sign in or open an account to keep your wish list."))
        query = urlencode({"next": back})
        return redirect(f"{reverse('shop:account-sign-in')}?{query}")
    try:
        accounts.wishlist_add(customer=customer, performance_id=pk)
    except CustomerError as error:
        raise Http404(str(error)) from None
    messages.success(request, _("Saved on your wish list."))
    return redirect(back)


@require_POST
@customer_required
def remove(request, pk: int):
    accounts.wishlist_remove(customer=current_customer(request), performance_id=pk)
    messages.success(request, _("Removed from your wish list."))
    return redirect(safe_next(request, reverse("shop:wishlist")))


@require_POST
@customer_required
def share(request):
    customer = current_customer(request)
    if request.POST.get("action") == "rotate":
        accounts.wishlist_token_rotate(customer=customer)
        messages.success(
            request, _("Your wish list has a new link; the old one no longer works.")
        )
    else:
        accounts.wishlist_token_get(customer=customer)
    return redirect(reverse("shop:wishlist") + "#share")


@never_cache
@customer_required
def mine(request):
    customer = current_customer(request)
    token = customer.wishlist_token
    share_url = (
        request.build_absolute_uri(reverse("shop:wishlist-shared", args=[token]))
        if token
        else ""
    )
    return _page(
        request,
        "shop/wishlist.html",
        {
            "performances": accounts.wishlist_performances(customer=customer),
            "share_url": share_url,
        },
    )


def shared(request, token: str):
    """Read-only, for friends: the performances and where to buy them."""
    try:
        owner = accounts.wishlist_shared(cluster=request.cluster, token=token)
    except NotFound:
        raise Http404(_("This wish list does not exist (any more).")) from None
    response = _page(
        request,
        "shop/wishlist_shared.html",
        {
            "owner_first_name": owner.name.split()[0] if owner.name else "",
            "performances": accounts.wishlist_performances(customer=owner),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
