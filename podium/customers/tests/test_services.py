"""Customer services: create or link by e-mail, one line, update, notes; per house."""

import pytest
from django_scopes import ScopeError

from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.customers.errors import CustomerError
from podium.customers.models import Customer, CustomerNote, CustomerRelation
from podium.customers.services import (
    customer_create,
    customer_from_line,
    customer_note_add,
    customer_relate,
    customer_update,
)
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import HouseFactory

from .factories import customer_make


def _relations(house) -> list[tuple[int, str]]:
    with house_scope(house):
        return list(
            CustomerRelation.objects.filter(house=house)
            .order_by("pk")
            .values_list("customer", "source")
        )


def test_create_makes_a_cluster_customer_known_to_the_house(house, scoped):
    customer = customer_create(
        house=house,
        actor=None,
        name=" Jan Peeters ",
        email="jan@example.be",
        phone="0470 12 34 56",
    )

    customer.refresh_from_db()
    assert (
        customer.cluster_id,
        customer.name,
        customer.email,
        customer.phone,
        customer.phone_digits,
    ) == (
        house.cluster_id,
        "Jan Peeters",
        "jan@example.be",
        "0470 12 34 56",
        "0470123456",
    )
    assert _relations(house) == [(customer.pk, "desk")]
    entry = AuditEntry.objects.get(action="podium.customers.customer.created")
    assert (entry.house_id, entry.data["customer"]) == (house.pk, customer.pk)


def test_house_b_creating_a_known_e_mail_links_the_existing_customer(
    house, other_house
):
    with house_scope(house):
        jan = customer_create(
            house=house, actor=None, name="Jan Peeters", email="jan@x.be"
        )

    with house_scope(other_house):
        again = customer_create(
            house=other_house, actor=None, name="J. Peeters", email="JAN@X.BE"
        )

    assert again.pk == jan.pk
    assert again.linked_existing is True
    assert Customer.objects.filter(cluster=house.cluster).count() == 1
    again.refresh_from_db()
    assert (again.name, again.email) == ("Jan Peeters", "jan@x.be")  # unchanged
    assert _relations(other_house) == [(jan.pk, "desk")]
    assert _relations(house) == [(jan.pk, "desk")]


def test_the_same_e_mail_in_another_cluster_is_another_customer(house, scoped):
    elsewhere = HouseFactory()
    with house_scope(elsewhere):
        theirs = customer_create(
            house=elsewhere, actor=None, name="Jan", email="jan@x.be"
        )

    with house_scope(house):
        ours = customer_create(house=house, actor=None, name="Jan", email="jan@x.be")

    assert ours.pk != theirs.pk
    assert ours.linked_existing is False


def test_creating_twice_at_one_house_keeps_one_relation(house, scoped):
    first = customer_create(house=house, actor=None, name="An", email="an@x.be")

    second = customer_create(house=house, actor=None, name="An", email="an@x.be")

    assert second.pk == first.pk
    assert _relations(house) == [(first.pk, "desk")]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "  "}, "name", "Fill in the customer's name."),
        ({"name": "x" * 201}, "name", "The name can be at most 200 characters long."),
        ({"name": "Jan", "email": "jan@"}, "email", "Enter a valid e-mail address."),
        (
            {"name": "Jan", "phone": "12 34"},
            "phone",
            "Enter a phone number of 8 to 15 digits, e.g. 0470 12 34 56.",
        ),
        (
            {"name": "Jan", "phone": "call me maybe"},
            "phone",
            "Enter a phone number of 8 to 15 digits, e.g. 0470 12 34 56.",
        ),
    ],
)
def test_invalid_details_are_refused_and_nothing_is_made(
    house, scoped, fields, field, message
):
    with pytest.raises(CustomerError) as refused:
        customer_create(house=house, actor=None, **fields)

    assert (refused.value.field, str(refused.value)) == (field, message)
    assert Customer.objects.count() == 0
    assert _relations(house) == []
    assert AuditEntry.objects.count() == 0


def test_from_line_creates_the_customer(house, scoped):
    customer = customer_from_line(
        house=house, actor=None, line="0470 12 34 56, Céline Dubois, celine@x.be"
    )

    assert (customer.name, customer.email, customer.phone) == (
        "Céline Dubois",
        "celine@x.be",
        "0470 12 34 56",
    )
    assert _relations(house) == [(customer.pk, "desk")]


@pytest.mark.parametrize("line", ["celine@x.be", "Céline, celine@", "Céline, 0470 12"])
def test_from_line_refusals_name_the_line(house, scoped, line):
    with pytest.raises(CustomerError) as refused:
        customer_from_line(house=house, actor=None, line=line)

    assert refused.value.field == "line"
    assert Customer.objects.count() == 0


def test_update_changes_the_details_and_logs_them(house, scoped):
    customer = customer_make(house, name="Jan", email="jan@x.be", phone="")

    customer_update(
        house=house,
        actor=None,
        customer=customer,
        name="Jan Peeters",
        phone="+32 470 12 34 56",
    )

    customer.refresh_from_db()
    assert (customer.name, customer.email, customer.phone_digits) == (
        "Jan Peeters",
        "jan@x.be",
        "+32470123456",
    )
    entry = AuditEntry.objects.get(action="podium.customers.customer.updated")
    assert entry.house_id == house.pk
    assert entry.data["changed"] == {
        "name": ["Jan", "Jan Peeters"],
        "phone": ["", "+32 470 12 34 56"],
    }


def test_update_refuses_an_e_mail_another_customer_has(house, scoped):
    customer_make(house, name="An", email="an@x.be")
    jan = customer_make(house, name="Jan", email="jan@x.be")

    with pytest.raises(CustomerError) as refused:
        customer_update(house=house, actor=None, customer=jan, email="AN@x.be")

    assert (refused.value.code, refused.value.field) == ("email_taken", "email")
    jan.refresh_from_db()
    assert jan.email == "jan@x.be"


def test_house_b_cannot_update_or_note_a_customer_only_house_a_knows(
    house, other_house
):
    jan = customer_make(house, name="Jan", email="jan@x.be")

    with house_scope(other_house):
        with pytest.raises(NotFound):
            customer_update(house=other_house, actor=None, customer=jan, name="X")
        with pytest.raises(NotFound):
            customer_note_add(house=other_house, actor=None, customer=jan, text="X")

    jan.refresh_from_db()
    assert jan.name == "Jan"
    with house_scope(house):
        assert CustomerNote.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_notes_are_the_house_s_own(house, other_house):
    jan = customer_make(house, name="Jan", email="jan@x.be")
    with house_scope(other_house):
        customer_relate(house=other_house, actor=None, customer=jan, source="order")

    with house_scope(house):
        note = customer_note_add(
            house=house, actor=None, customer=jan, text="  Rolstoel, rij A  "
        )

    assert note.text == "Rolstoel, rij A"
    with house_scope(other_house):
        assert list(CustomerNote.objects.filter(customer=jan)) == []
    with house_scope(house):
        assert list(CustomerNote.objects.filter(customer=jan)) == [note]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Write the note first."),
        ("x" * 2001, "A note can be at most 2000 characters long."),
    ],
)
def test_an_empty_or_too_long_note_is_refused(house, scoped, text, message):
    jan = customer_make(house, name="Jan")

    with pytest.raises(CustomerError) as refused:
        customer_note_add(house=house, actor=None, customer=jan, text=text)

    assert str(refused.value) == message
    assert CustomerNote.objects.count() == 0


def test_relate_refuses_a_customer_of_another_cluster(house, scoped):
    stranger = customer_make(HouseFactory(), name="Vreemde")

    with pytest.raises(NotFound):
        customer_relate(house=house, actor=None, customer=stranger, source="order")

    assert _relations(house) == []


def test_relations_need_a_house_scope(house):
    jan = customer_make(house, name="Jan")

    with pytest.raises(ScopeError):
        list(CustomerRelation.objects.filter(customer=jan))
