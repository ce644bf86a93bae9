"""Who the visitor is: a customer of the cluster signed in to the shop, or nobody.

Customers are not staff users: their sign-in lives in the session under its own key,
so a shop login never opens the office, and a staff login is not a customer.
"""

from podium.customers.models import Customer

SESSION_CUSTOMER_KEY = "podium_customer_id"


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
