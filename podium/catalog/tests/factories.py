from datetime import timedelta

import factory
from django.utils import timezone

from podium.catalog.models import (
    Artist,
    Performance,
    PressQuote,
    Production,
    ProductionImage,
    TaxonomyTerm,
    VideoLink,
)
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


class ThemeFactory(TaxonomyTermFactory):
    id = factory.Sequence(lambda n: f"test.theme.{n}")
    domain = TaxonomyTerm.Domain.THEME
    name = factory.Sequence(lambda n: {"nl": f"Thema {n}", "en": f"Theme {n}"})


class ProductionImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductionImage

    production = factory.SubFactory(ProductionFactory)
    house = factory.SelfAttribute("production.house")
    image = factory.Sequence(lambda n: f"productions/beeld-{n}.jpg")
    alt_text = factory.LazyFunction(lambda: {"nl": "Twee acteurs op een leeg podium"})
    credit = "Foto: Kurt Van der Elst"


class VideoLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VideoLink

    production = factory.SubFactory(ProductionFactory)
    house = factory.SelfAttribute("production.house")
    url = factory.Sequence(lambda n: f"https://video.example/trailer-{n}")
    title = factory.LazyFunction(lambda: {"nl": "Trailer"})


class PressQuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PressQuote

    production = factory.SubFactory(ProductionFactory)
    house = factory.SelfAttribute("production.house")
    quote = factory.LazyFunction(lambda: {"nl": "Onvergetelijk."})
    source = "De Standaard"
