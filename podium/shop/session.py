"""Who the visitor is: a customer of the cluster signed in to the shop, or nobody.

Customers are not staff users: their sign-in lives in the session under its own key,
so a shop login never opens the office, and a staff login is not a customer.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.catalog.selectors import public_house_get
from podium.core.errors import NotFound
from podium.customers.models import Customer
from podium.sales.models import Basket
from podium.sales.services.baskets import basket_create, basket_get
from podium.tenancy.models import House

SESSION_CUSTOMER_KEY = "podium_customer_id"
SESSION_BASKETS = "shop_baskets"  # {house id: basket token}


def house_or_404(request, slug: str) -> House:
    """An active house of the request's cluster, by its slug."""
    try:
        return public_house_get(cluster=request.cluster, slug=slug)
    except NotFound as error:
        raise Http404(_("This house is not in our programme.")) from error


def visitor_basket(request, house: House, *, create: bool) -> Basket | None:
    """The visitor's live basket at `house`; a new one when asked and none is live."""
    token = request.session.get(SESSION_BASKETS, {}).get(str(house.pk))
    basket = None
    if token:
        try:
            basket = basket_get(house=house, token=token)
        except NotFound:
            basket = None
    if basket is not None and basket.expires_at <= timezone.now() and create:
        basket = None
    if basket is None and create:
        basket = basket_create(house=house, channel="web")
        baskets = request.session.get(SESSION_BASKETS, {})
        baskets[str(house.pk)] = basket.token
        request.session[SESSION_BASKETS] = baskets
    return basket


def current_customer(request) -> Customer | None:
    """The signed-in customer of this cluster (cached on the request), or None."""
    if not hasattr(request, "_podium_customer"):
        customer = None
        customer_id = request.session.get(SESSION_CUSTOMER_KEY)
        if customer_id and request.cluster is not None:
            customer = Customer.objects.filter(
                pk=customer_id, cluster=request.cluster
            ).first()
        request._podium_customer = customer
    return request._podium_customer


def customer_sign_in(request, customer: Customer) -> None:
    """Sign `customer` in; a fresh session key against session fixation."""
    request.session.cycle_key()
    request.session[SESSION_CUSTOMER_KEY] = customer.pk
    request._podium_customer = customer


def customer_sign_out(request) -> None:
    request.session.pop(SESSION_CUSTOMER_KEY, None)
    request.session.cycle_key()
    request._podium_customer = None
