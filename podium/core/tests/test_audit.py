import pytest
from django.contrib.auth.models import AnonymousUser

from podium.core.audit import audit_log
from podium.core.models import AuditEntry


@pytest.mark.django_db
def test_audit_log_records_actor_house_object_and_data(house, staff_factory):
    # given a staff member and a house-owned object
    user = staff_factory(house, "programmer")

    # when
    entry = audit_log(
        action="podium.tenancy.house.changed",
        obj=house,
        actor=user,
        data={"name": "Huis A"},
    )

    # then
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == "podium.tenancy.house.changed"
    assert stored.actor == user
    assert stored.object_type == "tenancy.house"
    assert stored.object_id == str(house.pk)
    assert stored.data == {"name": "Huis A"}
    # a House has no house_id of its own; a house-owned object carries it
    assert stored.house_id is None


@pytest.mark.django_db
def test_audit_log_takes_the_house_from_a_house_owned_object(hall):
    entry = audit_log(action="podium.tenancy.hall.created", obj=hall, actor=None)

    assert (entry.house_id, entry.object_type, entry.object_id) == (
        hall.house_id,
        "tenancy.hall",
        str(hall.pk),
    )
    assert entry.actor is None
    assert entry.data == {}


@pytest.mark.django_db
def test_audit_log_records_no_actor_for_an_anonymous_user(hall):
    entry = audit_log(action="x.y.z.seen", obj=hall, actor=AnonymousUser())

    assert entry.actor_id is None
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_audit_log_names_an_actor_that_is_not_a_user(hall):
    class Robot:
        audit_label = "API key pk_ab12: box office kiosk"

    entry = audit_log(action="x.y.z.done", obj=hall, actor=Robot())

    assert (entry.actor_id, entry.actor_label) == (
        None,
        "API key pk_ab12: box office kiosk",
    )


@pytest.mark.django_db
def test_audit_log_keeps_the_users_name(hall, staff_factory):
    user = staff_factory(hall.house, "programmer")

    entry = audit_log(action="x.y.z.done", obj=hall, actor=user)

    assert entry.actor_label == user.get_username()
