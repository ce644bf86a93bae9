"""Customers for tests: made in a house's cluster and known to that house."""

import factory

from podium.customers.lines import phone_digits
from podium.customers.models import Customer, CustomerNote, CustomerRelation


class CustomerFactory(factory.django.DjangoModelFactory):
    """A customer of a cluster, known to no house yet (pass `cluster`)."""

    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Klant {n}")
    email = factory.Sequence(lambda n: f"klant{n}@example.be")
    phone = ""
    phone_digits = factory.LazyAttribute(lambda o: phone_digits(o.phone))


def customer_make(
    house,
    *,
    source: str = CustomerRelation.Source.DESK,
    note: str = "",
    **fields,
) -> Customer:
    """A customer of `house`'s cluster that `house` knows, with an optional note."""
    customer = CustomerFactory(cluster=house.cluster, **fields)
    CustomerRelation.objects.create(house=house, customer=customer, source=source)
    if note:
        CustomerNote.objects.create(house=house, customer=customer, text=note)
    return customer
