"""Every API operation × every kind of caller, from the API's own list of operations.

OPERATIONS names the scope (an Action) each operation needs, or None for a public
read; a test fails when the API gains an operation that is not in it. For each keyed
operation: a key of house A with the scope gets its answer, a key without it a 403
problem, no key a 401 problem; a key of house B with every scope, sent at house A's
objects, gets a 404 (as for a missing object) and house A is left exactly as it was.
"""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from podium.api.tests.test_sales_api import seated_on_sale
from podium.api.urls import api
from podium.checkin.models import Scan
from podium.core.models import AuditEntry
from podium.passes.memberships import basket_member_set, membership_buy
from podium.passes.models import GiftVoucher, MembershipType
from podium.passes.order_hooks import order_paid
from podium.passes.vouchers import voucher_buy
from podium.sales.models import (
    Basket,
    Hold,
    Order,
    Payment,
    PromoCode,
    SalesSettings,
    Ticket,
)
from podium.sales.promo import basket_apply_code
from podium.sales.promo_configuration import promo_code_create
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import buy, on_sale_performance
from podium.sales.tests.test_tickets_support import make_order, make_performance
from podium.sales.tickets.signing import ticket_payload
from podium.tenancy.permissions import Action
from podium.tenancy.services import api_key_create

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
PREFIX = "/api/v1"

# (method, path as in the OpenAPI schema) → the scope it needs; None: public.
OPERATIONS: dict[tuple[str, str], Action | None] = {
    ("get", "/productions"): None,
    ("get", "/performances"): None,
    ("post", "/baskets"): Action.SALES_SELL,
    ("get", "/baskets/{token}"): Action.SALES_SELL,
    ("post", "/baskets/{token}/holds"): Action.SALES_SELL,
    ("delete", "/baskets/{token}/holds/{hold_id}"): Action.SALES_SELL,
    ("post", "/baskets/{token}/best-available"): Action.SALES_SELL,
    ("post", "/baskets/{token}/promo-code"): Action.SALES_SELL,
    ("delete", "/baskets/{token}/promo-code"): Action.SALES_SELL,
    ("post", "/baskets/{token}/member-pass"): Action.SALES_SELL,
    ("delete", "/baskets/{token}/member-pass"): Action.SALES_SELL,
    ("post", "/orders"): Action.SALES_SELL,
    ("get", "/orders/{code}"): Action.ORDER_VIEW,
    ("post", "/orders/{code}/payments"): Action.ORDER_PAY,
    ("post", "/orders/{code}/voucher"): Action.ORDER_PAY,
    ("get", "/orders/{code}/tickets.pdf"): Action.ORDER_VIEW,
    ("get", "/tickets/{ticket_id}.pdf"): Action.ORDER_VIEW,
    ("post", "/tickets/verify"): Action.TICKET_VERIFY,
    ("post", "/checkin/scan"): Action.CHECKIN_SCAN,
    ("post", "/checkin/sync"): Action.CHECKIN_SCAN,
    ("get", "/checkin/performances/{performance_id}/package"): Action.CHECKIN_SCAN,
    ("get", "/checkin/performances/{performance_id}/attendance"): Action.CHECKIN_SCAN,
}
KEYED = [operation for operation, scope in OPERATIONS.items() if scope is not None]
PUBLIC = [operation for operation, scope in OPERATIONS.items() if scope is None]
# What a key of house B gets at house A's objects, where it is not a 404.
OTHER_HOUSE = {
    ("post", "/baskets"): 201,  # a basket of its own house: there is no id to misuse
    ("post", "/tickets/verify"): 200,  # answered "not valid: other_house", below
}


def _schema_operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema(path_prefix="/")["paths"]
    return {
        (method, "/" + path.lstrip("/"))
        for path, operations in paths.items()
        for method in operations
    }


@dataclass
class World:
    performance: object  # on sale: for baskets and holds
    tariff: object
    token: str
    hold: Hold
    pending: Order
    paid: Order
    ticket: Ticket
    tonight: object  # doors open: for check-in
    code: str  # a ticket of tonight's performance
    payload: str  # the QR code of `ticket`
    seated: object  # on sale by seat: for best available
    seated_tariff: object
    member_pass: str  # a valid friends pass, already on the basket `token`
    voucher: str  # the code of an active gift voucher
    unpaid: Order  # pending: for the voucher to pay


@pytest.fixture
def world(house):
    with scopes_disabled():
        SalesSettings.objects.create(house=house, bank_account_iban="BE68539007547034")
        performance, tariff, _quota = on_sale_performance(house, size=10)
        basket = basket_create(house=house)
        hold = basket_add(
            house=house,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=1,
        )
        pending = buy(house, performance, tariff)
        paid = order_mark_paid(order=buy(house, performance, tariff, quantity=2))
        ticket = paid.tickets.order_by("pk").first()
        starts = timezone.now().replace(microsecond=0) + timedelta(minutes=30)
        tonight = make_performance(house, starts_at=starts)
        door = make_order(house, performances=[tonight], tickets=1).tickets.first()
        seated, seated_tariff = seated_on_sale(house)
        promo_code_create(house=house, actor=None, code="WELKOM", value=10)
        basket_apply_code(house=house, actor=None, basket=basket, code="WELKOM")
        member_pass = _active_pass(house)
        basket_member_set(house=house, actor=None, basket=basket, number=member_pass)
        voucher = _active_voucher(house)
        unpaid = buy(house, performance, tariff)
        return World(
            performance,
            tariff,
            basket.token,
            hold,
            pending,
            paid,
            ticket,
            tonight,
            ticket_payload(door),
            ticket_payload(ticket),
            seated,
            seated_tariff,
            member_pass,
            voucher,
            unpaid,
        )


def _active_pass(house) -> str:
    """The number of a valid friends pass of the house (its order paid)."""
    type_ = MembershipType.objects.create(
        house=house, name={"nl": "Vriendenpas"}, price="25.00"
    )
    membership = membership_buy(
        house=house,
        actor=None,
        type=type_,
        holder_name="Mieke Claes",
        holder_email="mieke@example.be",
    )
    order_mark_paid(order=membership.order)
    order_paid(membership.order_id)  # the hook runs after commit, which tests skip
    return membership.number


def _active_voucher(house) -> str:
    """The code of a spendable € 50 gift voucher of the house (its order paid)."""
    voucher = voucher_buy(
        house=house,
        actor=None,
        value="50.00",
        buyer_name="Els Wouters",
        buyer_email="els@example.be",
    )
    order_mark_paid(order=voucher.order)
    order_paid(voucher.order_id)
    return voucher.code


def _request(operation, w: World) -> tuple[str, dict | None, int]:
    """(URL at house A's objects, JSON body, status with the scope)."""
    scan = {
        "client_id": "c1",
        "code": w.code,
        "entrance": "A",
        "scanned_at": timezone.now().isoformat(),
        "admitted_offline": True,
    }
    builders = {
        ("get", "/productions"): lambda: (f"/productions?house={w.paid.house.slug}",),
        ("get", "/performances"): lambda: (f"/performances?house={w.paid.house.slug}",),
        ("post", "/baskets"): lambda: ("/baskets", {}, 201),
        ("get", "/baskets/{token}"): lambda: (f"/baskets/{w.token}",),
        ("post", "/baskets/{token}/holds"): lambda: (
            f"/baskets/{w.token}/holds",
            {"performance": w.performance.pk, "tariff": w.tariff.pk, "quantity": 1},
            201,
        ),
        ("delete", "/baskets/{token}/holds/{hold_id}"): lambda: (
            f"/baskets/{w.token}/holds/{w.hold.pk}",
            None,
            204,
        ),
        ("post", "/baskets/{token}/best-available"): lambda: (
            f"/baskets/{w.token}/best-available",
            {"performance": w.seated.pk, "tariff": w.seated_tariff.pk, "quantity": 2},
            201,
        ),
        ("post", "/baskets/{token}/promo-code"): lambda: (
            f"/baskets/{w.token}/promo-code",
            {"code": "welkom"},
        ),
        ("delete", "/baskets/{token}/promo-code"): lambda: (
            f"/baskets/{w.token}/promo-code",
        ),
        ("post", "/baskets/{token}/member-pass"): lambda: (
            f"/baskets/{w.token}/member-pass",
            {"number": w.member_pass.lower()},
        ),
        ("delete", "/baskets/{token}/member-pass"): lambda: (
            f"/baskets/{w.token}/member-pass",
        ),
        ("post", "/orders"): lambda: (
            "/orders",
            {"basket": w.token, "buyer_name": "An", "buyer_email": "an@example.be"},
            201,
        ),
        ("get", "/orders/{code}"): lambda: (f"/orders/{w.paid.code}",),
        ("post", "/orders/{code}/payments"): lambda: (
            f"/orders/{w.pending.code}/payments",
            {"provider": "bank_transfer"},
            201,
        ),
        ("post", "/orders/{code}/voucher"): lambda: (
            f"/orders/{w.unpaid.code}/voucher",
            {"code": w.voucher},
            201,
        ),
        ("get", "/orders/{code}/tickets.pdf"): lambda: (
            f"/orders/{w.paid.code}/tickets.pdf",
        ),
        ("get", "/tickets/{ticket_id}.pdf"): lambda: (f"/tickets/{w.ticket.pk}.pdf",),
        ("post", "/tickets/verify"): lambda: (
            "/tickets/verify",
            {"payload": w.payload},
        ),
        ("post", "/checkin/scan"): lambda: (
            "/checkin/scan",
            {"performance_id": w.tonight.pk, "code": w.code},
        ),
        ("post", "/checkin/sync"): lambda: (
            "/checkin/sync",
            {"performance_id": w.tonight.pk, "device": "phone-1", "scans": [scan]},
        ),
        ("get", "/checkin/performances/{performance_id}/package"): lambda: (
            f"/checkin/performances/{w.tonight.pk}/package",
        ),
        ("get", "/checkin/performances/{performance_id}/attendance"): lambda: (
            f"/checkin/performances/{w.tonight.pk}/attendance",
        ),
    }
    path, body, status = {
        1: lambda path: (path, None, 200),
        2: lambda path, body: (path, body, 200),
        3: lambda path, body, status: (path, body, status),
    }[len(parts := builders[operation]())](*parts)
    return PREFIX + path, body, status


def _call(client, operation, w: World, headers=None):
    url, body, _status = _request(operation, w)
    method = operation[0]
    if body is None:
        return getattr(client, method)(url, **(headers or {}))
    return getattr(client, method)(
        url, json.dumps(body), "application/json", **(headers or {})
    )


def _key(house, scopes) -> dict:
    with scopes_disabled():
        secret = api_key_create(house=house, actor=None, name="Matrix", scopes=scopes)[
            1
        ]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _house_state(house) -> dict:
    """Everything of house A an API call could change."""
    with scopes_disabled():
        return {
            "baskets": list(
                Basket.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "promo_code", "member_pass")
            ),
            "holds": list(
                Hold.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "state", "quantity", "unit_price")
            ),
            "promo_codes": list(
                PromoCode.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "uses")
            ),
            "orders": list(
                Order.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "state", "total")
            ),
            "payments": list(
                Payment.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "state")
            ),
            "vouchers": list(
                GiftVoucher.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "state", "balance")
            ),
            "tickets": list(
                Ticket.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "state")
            ),
            "scans": Scan.objects.filter(house=house).count(),
            "audit": AuditEntry.objects.filter(house_id=house.pk).count(),
        }


def test_every_api_operation_is_in_the_registry():
    assert _schema_operations() == set(OPERATIONS)


def test_the_registry_matches_the_routers():
    """The schema and the routers agree (no operation hidden from the schema)."""
    routed = {
        (method.lower(), "/" + path.lstrip("/"))
        for _prefix, router in api._routers
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    assert routed == set(OPERATIONS)


def test_every_scope_is_an_action():
    assert {scope for scope in OPERATIONS.values() if scope} <= set(Action)


@pytest.mark.parametrize("operation", PUBLIC, ids="{0[0]} {0[1]}".format)
def test_public_reads_need_no_key(client, world, operation):
    response = _call(client, operation, world)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("operation", KEYED, ids="{0[0]} {0[1]}".format)
def test_a_key_with_the_scope_is_answered(client, world, house, operation):
    _url, _body, status = _request(operation, world)

    response = _call(client, operation, world, _key(house, [OPERATIONS[operation]]))

    assert response.status_code == status, response.content


@pytest.mark.parametrize("operation", KEYED, ids="{0[0]} {0[1]}".format)
def test_a_key_without_the_scope_is_refused(client, world, house, operation):
    others = [action for action in Action if action != OPERATIONS[operation]]
    key = _key(house, others)
    before = _house_state(house)

    response = _call(client, operation, world, key)

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "permission_denied"
    assert OPERATIONS[operation].value in response.json()["detail"]
    assert _house_state(house) == before


@pytest.mark.parametrize("operation", KEYED, ids="{0[0]} {0[1]}".format)
def test_no_key_is_a_401_problem(client, world, house, operation):
    before = _house_state(house)

    response = _call(client, operation, world)

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert _house_state(house) == before


@pytest.mark.parametrize("operation", KEYED, ids="{0[0]} {0[1]}".format)
def test_a_key_of_another_house_cannot_reach_house_a(
    client, world, house, other_house, operation
):
    key = _key(other_house, list(Action))
    before = _house_state(house)

    response = _call(client, operation, world, key)

    assert response.status_code == OTHER_HOUSE.get(operation, 404), response.content
    if response.status_code == 404:
        assert response["Content-Type"] == PROBLEM
    if operation == ("post", "/tickets/verify"):
        assert (response.json()["valid"], response.json()["reason"]) == (
            False,
            "other_house",
        )
    assert house.slug.encode() not in response.content
    assert _house_state(house) == before


def test_public_reads_of_another_cluster_house_are_not_found(client, world):
    """The public reads list the caller's cluster only; a slug elsewhere is a 404."""
    from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

    elsewhere = HouseFactory(cluster=ClusterFactory(), slug="elders")

    for path in ("/productions", "/performances"):
        response = client.get(f"{PREFIX}{path}?house={elsewhere.slug}")
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
