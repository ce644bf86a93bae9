"""Finding customers: by name (any case or accent), e-mail or phone; per house.

The name search folds accents on every database (a regular expression of letter
classes), so "Celine" finds "Céline" on SQLite as well as on PostgreSQL.
"""

import pytest

from podium.core.errors import NotFound
from podium.customers.selectors import (
    customer_get,
    customer_notes,
    customer_search,
    fold,
    name_pattern,
)
from podium.customers.services import customer_note_add, customer_relate
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import HouseFactory

from .factories import customer_make


@pytest.fixture
def people(house):
    return {
        "celine": customer_make(
            house, name="Céline Dubois", email="celine@example.be", phone=""
        ),
        "jan": customer_make(
            house, name="Jan Peeters", email="jan@example.be", phone="0470 12 34 56"
        ),
        "marc": customer_make(
            house, name="Marc Claes", email="", phone="+32 471 98 76 54"
        ),
        "noel": customer_make(house, name="NOËL Verbeeck", email="noel@work.example"),
    }


def _names(found) -> list[str]:
    return [customer.name for customer in found]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("Celine", ["Céline Dubois"]),
        ("céline", ["Céline Dubois"]),
        ("CELINE dubois", ["Céline Dubois"]),
        ("noel", ["NOËL Verbeeck"]),
        ("peet", ["Jan Peeters"]),
        ("jan@example.be", ["Jan Peeters"]),
        ("@example.be", ["Céline Dubois", "Jan Peeters"]),
        ("work", ["NOËL Verbeeck"]),
        ("0470123456", ["Jan Peeters"]),
        ("0470 12 34 56", ["Jan Peeters"]),
        ("+32 470 12 34 56", ["Jan Peeters"]),
        ("0471/98.76.54", ["Marc Claes"]),
        ("3456", ["Jan Peeters"]),
        ("Jan Peeters, celine@example.be", ["Céline Dubois", "Jan Peeters"]),
        ("Nobody", []),
        ("(.*", []),
    ],
)
def test_search_by_name_e_mail_or_phone(house, scoped, people, query, names):
    assert _names(customer_search(house=house, query=query)) == names


def test_without_a_query_the_customers_met_last_come_first(house, scoped, people):
    assert _names(customer_search(house=house, query="", limit=2)) == [
        "NOËL Verbeeck",
        "Marc Claes",
    ]


def test_search_never_returns_customers_only_another_house_knows(
    house, other_house, people
):
    shared = people["jan"]
    with house_scope(other_house):
        customer_relate(house=other_house, actor=None, customer=shared, source="desk")
        customer_make(other_house, name="Celine Alleen-B", email="b@example.be")

        found = customer_search(house=other_house, query="celine")
        everyone = customer_search(house=other_house, query="")
        by_mail = customer_search(house=other_house, query="celine@example.be")

    assert _names(found) == ["Celine Alleen-B"]
    assert _names(everyone) == ["Celine Alleen-B", "Jan Peeters"]
    assert by_mail == []


def test_order_count_is_zero_without_orders(house, scoped, people):
    (jan,) = customer_search(house=house, query="jan peeters")

    assert jan.order_count == 0


def test_get_is_not_found_for_an_unrelated_or_missing_customer(
    house, other_house, people
):
    with house_scope(house):
        assert customer_get(house=house, pk=people["jan"].pk) == people["jan"]
    with house_scope(other_house):
        with pytest.raises(NotFound):
            customer_get(house=other_house, pk=people["jan"].pk)
        with pytest.raises(NotFound):
            customer_get(house=other_house, pk=999_999)
    elsewhere = HouseFactory()
    with house_scope(elsewhere):
        with pytest.raises(NotFound):
            customer_get(house=elsewhere, pk=people["jan"].pk)


def test_notes_show_only_the_house_s_own(house, other_house, people):
    jan = people["jan"]
    with house_scope(house):
        mine = customer_note_add(house=house, actor=None, customer=jan, text="A")
    with house_scope(other_house):
        customer_relate(house=other_house, actor=None, customer=jan, source="desk")
        theirs = customer_note_add(
            house=other_house, actor=None, customer=jan, text="B"
        )

        assert list(customer_notes(house=other_house, customer=jan)) == [theirs]
    with house_scope(house):
        assert list(customer_notes(house=house, customer=jan)) == [mine]


def test_fold_and_pattern():
    assert fold("Ça Héllo Noël") == "ca hello noel"
    assert name_pattern("Cé.") == "[cçćčCÇĆČ][eèéêëēėęěEÈÉÊËĒĖĘĚ]\\."
