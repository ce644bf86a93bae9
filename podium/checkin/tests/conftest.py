import pytest

from podium.sales.tickets.signing import ticket_payload

from .factories import paid_tickets, show


@pytest.fixture
def performance(house):
    return show(house)


@pytest.fixture
def ticket(house, performance):
    return paid_tickets(house, performance)[0]


@pytest.fixture
def code(ticket):
    return ticket_payload(ticket)


@pytest.fixture
def doorman(house, staff_factory):
    return staff_factory(house, "production")
