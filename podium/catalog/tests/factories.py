from datetime import timedelta

import factory
from django.utils import timezone

from podium.catalog.models import Artist, Performance, Production, TaxonomyTerm
from podium.tenancy.tests.factories import HallFactory, HouseFactory


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm
        django_get_or_create = ("id",)

    id = "0.55.0.0.0"
    domain = TaxonomyTerm.Domain.EVENT_TYPE
    name = factory.LazyFunction(
        lambda: {
            "nl": "Theatervoorstelling",
            "fr": "Théâtre",
            "en": "Theatre performance",
        }
    )


class ArtistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Artist

    house = factory.SubFactory(HouseFactory)
    name = factory.Sequence(lambda n: f"Artiest {n}")


class ProductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Production

    house = factory.SubFactory(HouseFactory)
    title = factory.Sequence(lambda n: {"nl": f"Voorstelling {n}", "en": f"Show {n}"})
    event_type = factory.SubFactory(TaxonomyTermFactory)
    duration_minutes = 90


class PerformanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Performance

    house = factory.SubFactory(HouseFactory)
    production = factory.SubFactory(
        ProductionFactory, house=factory.SelfAttribute("..house")
    )
    hall = factory.SubFactory(HallFactory, house=factory.SelfAttribute("..house"))
    starts_at = factory.Sequence(
        lambda n: timezone.now().replace(microsecond=0) + timedelta(days=7 + n)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=90))
    status = Performance.Status.ON_SALE
