"""The demo's season subscriptions at De Steiger, over the coming seated
performances of its Grote zaal: a free choice of 4 to 8 at 15 % off (with an
under-26 tariff) and a fixed series of three shows on the same seat.

Created through the same configuration services as the office, once: a later
`load_demo` finds them and changes nothing.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from podium.catalog.models import Performance
from podium.passes.configuration import (
    subscription_tariff_create,
    subscription_type_create,
)
from podium.passes.models import SubscriptionType
from podium.seating.models import PerformanceSeating
from podium.tenancy.models import Hall, House

from . import demo_data as demo

HALL_NAME = "Grote zaal"
CHOICE_NAME = {
    "nl": "Theaterabonnement 2026–2027: kies 4 tot 8, 15 % korting",
    "fr": "Abonnement théâtre 2026–2027 : choisissez 4 à 8, 15 % de réduction",
    "en": "Theatre subscription 2026–2027: choose 4 to 8, 15 % off",
}
CHOICE_DESCRIPTION = {
    "nl": "Kies 4 tot 8 voorstellingen in de Grote zaal en betaal elk ticket 15 % "
    "minder. Jonger dan 26? Dan betaal je nog eens 20 % minder.",
    "fr": "Choisissez 4 à 8 spectacles dans la grande salle : chaque billet 15 % "
    "moins cher. Moins de 26 ans ? Encore 20 % de moins.",
    "en": "Choose 4 to 8 performances in the Grote zaal and pay 15 % less for each "
    "ticket. Under 26? Another 20 % off.",
}
UNDER_26 = {"nl": "Abonnement -26", "fr": "Abonnement -26", "en": "Under 26"}
SERIES_NAME = {
    "nl": "Vaste reeks: drie voorstellingen, altijd dezelfde stoel",
    "fr": "Série fixe : trois spectacles, toujours le même siège",
    "en": "Fixed series: three shows, always the same seat",
}
SERIES_PRICE = Decimal("60.00")
CHOICES = 10  # performances offered in the free choice
SERIES = 3


def _coming_seated(house: House) -> list[Performance]:
    hall = Hall.objects.filter(house=house, name=HALL_NAME).first()
    if hall is None:
        return []
    seated = PerformanceSeating.objects.filter(house=house).values("performance_id")
    return list(
        Performance.objects.filter(
            house=house,
            hall=hall,
            status=Performance.Status.ON_SALE,
            visibility=Performance.Visibility.PUBLIC,
            starts_at__gt=timezone.now(),
            pk__in=seated,
        ).order_by("starts_at", "pk")
    )


def ensure_subscriptions() -> list[SubscriptionType]:
    """The demo's subscription types, created when the demo house has none yet;
    [] when the demo is not loaded or its hall has too few coming performances."""
    house = House.objects.filter(slug=demo.BOX_OFFICE_HOUSE).first()
    if house is None:
        return []
    if SubscriptionType.objects.filter(house=house).exists():
        return []
    performances = _coming_seated(house)
    if len(performances) < 6:
        return []
    with transaction.atomic():
        choice = subscription_type_create(
            house=house,
            actor=None,
            name=CHOICE_NAME,
            description=CHOICE_DESCRIPTION,
            kind=SubscriptionType.Kind.CHOICE,
            performances=performances[:CHOICES],
            min_choices=4,
            max_choices=8,
            discount_percent=Decimal("15"),
            position=0,
        )
        subscription_tariff_create(
            house=house, actor=None, type=choice, name=UNDER_26, factor=Decimal("0.8")
        )
        # The last three: well past the opening night the box office sold out, so
        # the same seats are free at all three.
        series = subscription_type_create(
            house=house,
            actor=None,
            name=SERIES_NAME,
            kind=SubscriptionType.Kind.FIXED,
            performances=performances[-SERIES:],
            price=SERIES_PRICE,
            same_seat=True,
            position=1,
        )
    return [choice, series]
