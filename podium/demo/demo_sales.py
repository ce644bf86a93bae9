"""Demo sales: real orders, placed and paid at the box office through the sales services.

The opening night of a popular run is sold out (seat by seat, best available) the way
a house moving to Podium would bring in its earlier sales (paid, no confirmation
mail); a few dozen other orders give the office something to look up, refund and
resend. Seeded, so every load is alike.
"""

import random
import unicodedata

from podium.catalog.models import Performance
from podium.sales.models import Order, Tariff
from podium.sales.selectors import performance_availability
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.inventory import sold_by_seat
from podium.sales.services.orders import order_place
from podium.sales.services.payments import payment_start
from podium.sales.services.pricing import price_list, sales_settings_get
from podium.seating.services import basket_add_best_available
from podium.tenancy.models import House

FIRST_NAMES = [
    "An", "Bart", "Chloé", "Dries", "Els", "Fatima", "Geert", "Hanne", "Ilias",
    "Jana", "Karel", "Lien", "Marc", "Nora", "Olivier", "Pieter", "Rania", "Sarah",
    "Thomas", "Ulla", "Vincent", "Wout", "Yasmina", "Zoë",
]  # fmt: skip
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes",
    "Goossens", "Wouters", "De Smet", "Dubois", "Lambert", "El Amrani", "Hermans",
    "Van Damme", "Verstraete", "Lemmens", "Aerts", "Desmet", "Bouzid",
]  # fmt: skip
# How many tickets a box-office buyer takes: mostly two.
PARTY_SIZES = [1, 2, 2, 2, 2, 3, 4, 4]
PAYMENT_METHODS = ["cash", "card_terminal", "card_terminal"]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "")


def _buyer(rng: random.Random) -> dict[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return {
        "buyer_name": f"{first} {last}",
        "buyer_email": f"{_ascii(first)}.{_ascii(last)}@example.org",
    }


def sell_at_the_desk(
    *,
    house: House,
    clerk,
    performance: Performance,
    tariff: Tariff,
    quantity: int,
    rng: random.Random,
) -> Order:
    """One paid box-office order, as a clerk would ring it up."""
    basket = basket_create(house=house, channel=Order.Channel.BOX_OFFICE)
    if sold_by_seat(performance=performance):
        basket_add_best_available(
            house=house,
            actor=clerk,
            basket=basket,
            performance=performance,
            tariff=tariff,
            count=quantity,
        )
    else:
        basket_add(
            house=house,
            actor=clerk,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=quantity,
        )
    order = order_place(
        house=house,
        actor=clerk,
        basket=basket,
        channel=Order.Channel.BOX_OFFICE,
        send_confirmation=False,
        **_buyer(rng),
    )
    payment_start(
        house=house, actor=clerk, order=order, provider=rng.choice(PAYMENT_METHODS)
    )
    return order


def full_tariffs(performance: Performance) -> dict[int, Tariff]:
    """The full-price tariff of each price category, by category id."""
    return {
        tariff.category_id: tariff
        for tariff in price_list(performance=performance)
        if tariff.kind == Tariff.Kind.FULL
    }


def sell_out(*, house: House, clerk, performance: Performance, seed: int) -> int:
    """Sell every place of `performance` in box-office orders; returns the orders."""
    rng = random.Random(seed)
    tariffs = full_tariffs(performance)
    largest = sales_settings_get(house=house).max_tickets_per_order
    orders = 0
    while True:
        left = performance_availability(performance=performance).by_category
        open_categories = [c for c in sorted(tariffs) if left.get(c, 0) > 0]
        if not open_categories:
            return orders
        category = open_categories[0]
        quantity = min(rng.choice(PARTY_SIZES), left[category], largest)
        sell_at_the_desk(
            house=house,
            clerk=clerk,
            performance=performance,
            tariff=tariffs[category],
            quantity=quantity,
            rng=rng,
        )
        orders += 1


def sell_some(
    *, house: House, clerk, performances: list[Performance], orders: int, seed: int
) -> int:
    """`orders` box-office orders spread over `performances`; returns the tickets."""
    rng = random.Random(seed)
    tickets = 0
    for _n in range(orders):
        performance = rng.choice(performances)
        tariff = rng.choice(
            [t for t in price_list(performance=performance) if t.price > 0]
        )
        quantity = rng.choice(PARTY_SIZES)
        if tariff.max_per_order:
            quantity = min(quantity, tariff.max_per_order)
        quantity = max(quantity, tariff.min_per_order or 1)
        sell_at_the_desk(
            house=house,
            clerk=clerk,
            performance=performance,
            tariff=tariff,
            quantity=quantity,
            rng=rng,
        )
        tickets += quantity
    return tickets
