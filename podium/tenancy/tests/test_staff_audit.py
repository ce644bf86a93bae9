"""Who may do what changes only with an audit entry in the house's own log."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from podium.core.errors import PermissionDenied
from podium.core.models import AuditEntry
from podium.tenancy.models import ApiKey, StaffRole
from podium.tenancy.services import (
    api_key_create,
    api_key_revoke,
    staff_role_grant,
    staff_role_revoke,
)

pytestmark = pytest.mark.django_db


def _user(name="nieuw"):
    return get_user_model().objects.create_user(username=name, password="x")


def _actions(house) -> list[str]:
    return list(
        AuditEntry.objects.filter(house_id=house.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_granting_and_revoking_a_role_is_logged_with_the_actor(
    house, other_house, staff_factory
):
    admin = staff_factory(house, "house_admin")

    role = staff_role_grant(user=_user(), role="ticketing", house=house, actor=admin)
    staff_role_revoke(staff_role=role, actor=admin)

    assert _actions(house) == [
        "podium.tenancy.staff_role.granted",
        "podium.tenancy.staff_role.revoked",
    ]
    entry = AuditEntry.objects.filter(house_id=house.pk).first()
    assert entry.actor == admin and entry.data["role"] == "ticketing"
    assert _actions(other_house) == []


def test_a_ticketing_officer_may_not_grant_roles(house, staff_factory):
    clerk = staff_factory(house, "ticketing")

    with pytest.raises(PermissionDenied):
        staff_role_grant(user=_user(), role="house_admin", house=house, actor=clerk)

    assert not StaffRole.objects.filter(role="house_admin").exists()


def test_a_cluster_role_is_logged_in_every_house_of_the_cluster(
    cluster, house, other_house
):
    staff_role_grant(
        user=_user(), role="cluster_coordinator", cluster=cluster, actor=None
    )

    assert (
        _actions(house)
        == _actions(other_house)
        == ["podium.tenancy.staff_role.granted"]
    )


def test_api_keys_made_and_revoked_are_logged(house, staff_factory):
    admin = staff_factory(house, "house_admin")

    key, _secret = api_key_create(
        house=house, actor=admin, name="Kassa", scopes=["sales.order.view"]
    )
    api_key_revoke(key=key, actor=admin)

    assert _actions(house) == [
        "podium.tenancy.api_key.created",
        "podium.tenancy.api_key.revoked",
    ]
    assert ApiKey.objects.get(pk=key.pk).is_active is False


def test_role_changes_in_django_admin_are_logged(house, other_house):
    operator = get_user_model().objects.create_superuser("ops", password="x")
    request = RequestFactory().post("/")
    request.user = operator
    model_admin = site._registry[StaffRole]
    role = StaffRole(user=_user(), role="programmer", house=house)

    model_admin.save_model(request, role, form=None, change=False)
    role.house = other_house
    model_admin.save_model(request, role, form=None, change=True)
    model_admin.delete_model(request, role)

    assert _actions(house) == [
        "podium.tenancy.staff_role.granted",
        "podium.tenancy.staff_role.changed",
    ]
    assert _actions(other_house) == [
        "podium.tenancy.staff_role.changed",
        "podium.tenancy.staff_role.revoked",
    ]
