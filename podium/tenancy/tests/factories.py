import factory

from podium.tenancy.models import Cluster, Hall, House, Venue


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")


class HouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = House

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Huis {n}")
    slug = factory.Sequence(lambda n: f"huis-{n}")
    kind = House.Kind.CULTURAL_CENTRE
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} vzw")
    enterprise_number = "BE0403.170.701"
    street = "Grote Markt 1"
    postal_code = "9000"
    city = "Gent"
    email = factory.LazyAttribute(lambda o: f"info@{o.slug}.example")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    house = factory.SubFactory(HouseFactory)
    name = factory.Sequence(lambda n: f"Gebouw {n}")
    street = "Kerkstraat 2"
    postal_code = "9000"
    city = "Gent"


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    house = factory.SubFactory(HouseFactory)
    venue = factory.SubFactory(VenueFactory, house=factory.SelfAttribute("..house"))
    name = factory.Sequence(lambda n: f"Zaal {n}")
    kind = Hall.Kind.SEATED
    capacity = 400
