import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from podium.tenancy.models import StaffRole
from podium.tenancy.tests.factories import HallFactory, VenueFactory

Role = StaffRole.Role


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="medewerker")


@pytest.mark.parametrize(
    ("role", "with_house", "with_cluster"),
    [
        (Role.CLUSTER_COORDINATOR, True, False),
        (Role.CLUSTER_COORDINATOR, True, True),
        (Role.CLUSTER_COORDINATOR, False, False),
        (Role.PROGRAMMER, False, True),
        (Role.PROGRAMMER, False, False),
        (Role.HOUSE_ADMIN, True, True),
    ],
    ids=[
        "coordinator-with-house",
        "coordinator-with-both",
        "coordinator-with-neither",
        "house-role-with-cluster-only",
        "house-role-with-neither",
        "house-role-with-both",
    ],
)
def test_staff_role_outside_house_xor_cluster_is_refused_by_the_database(
    user, house, role, with_house, with_cluster
):
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(
            user=user,
            role=role,
            house=house if with_house else None,
            cluster=house.cluster if with_cluster else None,
        )

    assert StaffRole.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "in_house"),
    [
        (Role.CLUSTER_COORDINATOR, False),
        *[(r, True) for r in Role if r != "cluster_coordinator"],
    ],
)
def test_house_role_in_a_house_and_coordinator_in_a_cluster_are_stored(
    user, house, role, in_house
):
    StaffRole.objects.create(
        user=user,
        role=role,
        house=house if in_house else None,
        cluster=None if in_house else house.cluster,
    )

    assert StaffRole.objects.filter(user=user, role=role).count() == 1


def test_hall_in_a_venue_of_another_house_is_invalid(house, other_house):
    hall = HallFactory.build(house=house, venue=VenueFactory(house=other_house))

    with pytest.raises(ValidationError) as raised:
        hall.full_clean()

    with translation.override("en"):
        assert raised.value.message_dict == {
            "venue": ["This venue belongs to another house."]
        }


def test_hall_capacity_must_be_positive_in_the_database(house):
    venue = VenueFactory(house=house)

    with pytest.raises(IntegrityError), transaction.atomic():
        HallFactory(house=house, venue=venue, capacity=0)
