from decimal import Decimal

import factory

from podium.catalog.tests.factories import PerformanceFactory
from podium.sales.models import PriceCategory, Quota, SalesSettings, Tariff
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_place


class PriceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceCategory

    house = factory.LazyAttribute(lambda o: o.production.house)
    production = factory.SubFactory("podium.catalog.tests.factories.ProductionFactory")
    name = factory.LazyFunction(
        lambda: {"nl": "Rang 1", "fr": "Rang 1", "en": "Rank 1"}
    )


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    category = factory.SubFactory(PriceCategoryFactory)
    house = factory.LazyAttribute(lambda o: o.category.house)
    production = factory.LazyAttribute(lambda o: o.category.production)
    kind = Tariff.Kind.FULL
    name = factory.LazyFunction(
        lambda: {"nl": "Volle prijs", "fr": "Plein tarif", "en": "Full price"}
    )
    price = Decimal("20.00")
    vat_rate = "6.00"


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    performance = factory.SubFactory(PerformanceFactory)
    house = factory.LazyAttribute(lambda o: o.performance.house)
    name = "Zaal"
    size = 100


def on_sale_performance(house, *, size=100, price=Decimal("20.00")):
    """A performance on sale with one category, a full-price tariff and one quota."""
    performance = PerformanceFactory(house=house)
    category = PriceCategoryFactory(house=house, production=performance.production)
    tariff = TariffFactory(category=category, price=price)
    quota = QuotaFactory(performance=performance, size=size)
    return performance, tariff, quota


class SalesSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesSettings
        django_get_or_create = ("house",)

    house = factory.SubFactory("podium.tenancy.tests.factories.HouseFactory")


def buy(house, performance, tariff, quantity=1, **order_fields):
    """Basket, claim and a pending order: the shortest path to a sale in a test."""
    basket = basket_create(house=house)
    basket_add(
        house=house,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
    )
    fields = {"buyer_name": "An Peeters", "buyer_email": "an@example.be"}
    fields.update(order_fields)
    return order_place(house=house, actor=None, basket=basket, **fields)
