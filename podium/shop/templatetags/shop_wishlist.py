"""`{% wishlist_saved performance as saved %}`: is it on the visitor's wish list?"""

from django import template

from podium.customers.accounts import wishlist_performance_ids
from podium.shop.session import current_customer

register = template.Library()


@register.simple_tag(takes_context=True)
def wishlist_saved(context, performance) -> bool:
    request = context.get("request")
    customer = current_customer(request) if request is not None else None
    if customer is None:
        return False
    if not hasattr(request, "_podium_wishlist_ids"):
        request._podium_wishlist_ids = wishlist_performance_ids(customer=customer)
    return performance.pk in request._podium_wishlist_ids
