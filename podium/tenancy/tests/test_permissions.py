import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from podium.core.errors import PermissionDenied
from podium.tenancy.models import StaffRole
from podium.tenancy.permissions import Action, can, houses_for, require
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

# Written out by hand on purpose: it is the specification, not a copy of ROLE_ACTIONS.
OFFICE, SEE_PROD, CREATE, EDIT, SCHEDULE, STATUS, SEE_VENUE, VENUES, HOUSE, STAFF = (
    "office.view",
    "catalog.production.view",
    "catalog.production.create",
    "catalog.production.edit",
    "catalog.performance.schedule",
    "catalog.performance.status",
    "tenancy.venue.view",
    "tenancy.venue.manage",
    "tenancy.house.edit",
    "tenancy.staff.manage",
)
PRICES, QUOTAS, ORDERS, ORDER_MANAGE, REFUND, CANCEL_SHOW = (
    "sales.price.edit",
    "sales.quota.edit",
    "sales.order.view",
    "sales.order.manage",
    "sales.order.refund",
    "sales.performance.cancel",
)
SELL, PAY, VERIFY = "sales.sell", "sales.order.pay", "sales.ticket.verify"
SCAN = "checkin.scan"
CUSTOMERS, CUSTOMERS_EDIT = "customers.customer.view", "customers.customer.manage"
ERASE, PRIVACY, AUDIT = (
    "customers.customer.erase",
    "customers.privacy.manage",
    "core.audit.view",
)
SALES_DESK = {
    PRICES,
    QUOTAS,
    ORDERS,
    ORDER_MANAGE,
    REFUND,
    CANCEL_SHOW,
    SELL,
    PAY,
    VERIFY,
    SCAN,
    CUSTOMERS,
    CUSTOMERS_EDIT,
}
EXPECTED = {
    "house_admin": {
        OFFICE,
        SEE_PROD,
        CREATE,
        EDIT,
        SCHEDULE,
        STATUS,
        SEE_VENUE,
        VENUES,
        HOUSE,
        STAFF,
        *SALES_DESK,
        ERASE,
        PRIVACY,
        AUDIT,
    },
    "programmer": {OFFICE, SEE_PROD, CREATE, EDIT, SCHEDULE, STATUS, SEE_VENUE},
    "ticketing": {OFFICE, SEE_PROD, STATUS, SEE_VENUE, *SALES_DESK},
    "audience": {OFFICE, SEE_PROD, EDIT, SEE_VENUE, CUSTOMERS, CUSTOMERS_EDIT},
    "production": {OFFICE, SEE_PROD, SEE_VENUE, VENUES, SCAN},
    "cluster_coordinator": {OFFICE, SEE_PROD, SEE_VENUE},
}
ALL_ACTIONS = [
    OFFICE,
    SEE_PROD,
    CREATE,
    EDIT,
    SCHEDULE,
    STATUS,
    SEE_VENUE,
    VENUES,
    HOUSE,
    STAFF,
    *sorted(SALES_DESK),
    ERASE,
    PRIVACY,
    AUDIT,
]


def test_the_expected_table_covers_every_role_and_action():
    assert set(EXPECTED) == set(StaffRole.Role.values)
    assert set(ALL_ACTIONS) == set(Action.values)


@pytest.mark.parametrize("action", ALL_ACTIONS)
@pytest.mark.parametrize("role", list(EXPECTED))
def test_can_follows_the_role_action_table(staff_factory, house, role, action):
    user = staff_factory(house, role)

    assert can(user, action, house) is (action in EXPECTED[role])


@pytest.mark.parametrize("role", [r for r in EXPECTED if r != "cluster_coordinator"])
def test_a_house_role_gives_nothing_in_another_house_of_the_same_cluster(
    staff_factory, house, other_house, role
):
    user = staff_factory(house, role)

    assert [a for a in ALL_ACTIONS if can(user, a, other_house)] == []


def test_coordinator_may_view_every_house_of_their_cluster_and_nothing_elsewhere(
    staff_factory, house, other_house
):
    # given a coordinator of the cluster of A and B, and a house in another cluster
    elsewhere = HouseFactory(cluster=ClusterFactory())
    user = staff_factory(None, "cluster_coordinator", cluster=house.cluster)

    # then
    for each in (house, other_house):
        assert {a for a in ALL_ACTIONS if can(user, a, each)} == {
            OFFICE,
            SEE_PROD,
            SEE_VENUE,
        }
    assert [a for a in ALL_ACTIONS if can(user, a, elsewhere)] == []


def test_an_inactive_user_may_do_nothing(staff_factory, house):
    user = staff_factory(house, "house_admin")
    user.is_active = False
    user.save()
    user = get_user_model().objects.get(pk=user.pk)

    assert [a for a in ALL_ACTIONS if can(user, a, house)] == []


def test_nothing_may_be_done_in_an_inactive_house(staff_factory, house):
    user = staff_factory(house, "house_admin")
    house.is_active = False
    house.save()

    assert [a for a in ALL_ACTIONS if can(user, a, house)] == []


def test_anonymous_user_and_missing_house_get_nothing(staff_factory, house):
    admin = staff_factory(house, "house_admin")

    assert [a for a in ALL_ACTIONS if can(AnonymousUser(), a, house)] == []
    assert [a for a in ALL_ACTIONS if can(admin, a, None)] == []


def test_a_superuser_without_a_role_gets_no_office_rights(house):
    # platform operators work in the platform admin, not in a house's office
    root = get_user_model().objects.create_superuser("root", password="x")

    assert can(root, Action.OFFICE_VIEW, house) is False


def test_require_raises_permission_denied_when_not_allowed(staff_factory, house):
    user = staff_factory(house, "ticketing")

    with pytest.raises(PermissionDenied) as raised:
        require(user, Action.PRODUCTION_CREATE, house)

    assert raised.value.code == "permission_denied"
    assert require(user, Action.PERFORMANCE_STATUS, house) is None


def test_houses_for_lists_active_houses_by_role_and_by_cluster(
    staff_factory, house, other_house
):
    # given a programmer in A who coordinates another cluster with an inactive house
    region = ClusterFactory()
    zuid = HouseFactory(cluster=region, name="Zuid", slug="zuid")
    HouseFactory(cluster=region, name="Gesloten", slug="gesloten", is_active=False)
    user = staff_factory(house, "programmer", username="lien")
    StaffRole.objects.create(user=user, role="cluster_coordinator", cluster=region)

    # then: A and Zuid, sorted by name; not B (same cluster, no role); not the closed one
    assert houses_for(user) == [house, zuid]


def test_houses_for_is_empty_for_anonymous_inactive_and_role_less_users(
    staff_factory, house
):
    inactive = staff_factory(house, "house_admin", username="weg")
    inactive.is_active = False
    inactive.save()
    nobody = get_user_model().objects.create_user("niemand")

    assert houses_for(AnonymousUser()) == []
    assert houses_for(inactive) == []
    assert houses_for(nobody) == []
