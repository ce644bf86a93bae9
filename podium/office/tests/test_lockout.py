"""Lock-out: five failed log-ins for a username within 15 minutes block it for 15."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from podium.core.models import AuditEntry
from podium.tenancy.models import StaffRole

LOGIN = reverse("office:login")


@pytest.fixture
def clerk(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING, username="kassa")


def _attempt(client, password, username="kassa", ip="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_username_even_for_the_right_password(client, clerk):
    for _attempt_number in range(4):
        assert _attempt(client, "wrong").status_code == 200
    locking = _attempt(client, "wrong")

    assert locking.status_code == 429
    assert "locked_message" in locking.context
    refused = _attempt(client, PASSWORD)
    assert refused.status_code == 429 and not _logged_in(client)
    # Locked for the username, from any address.
    assert _attempt(client, PASSWORD, ip="10.9.9.9").status_code == 429
    entry = AuditEntry.objects.get(action="podium.tenancy.login.locked")
    assert entry.object_id == str(clerk.pk)
    assert entry.data["username"] == "kassa" and entry.data["failures"] == 5


def test_the_lock_ends_after_15_minutes(client, clerk, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _attempt_number in range(5):
            _attempt(client, "wrong")
        traveller.shift(14 * 60)
        assert _attempt(client, PASSWORD).status_code == 429
        traveller.shift(2 * 60)
        response = _attempt(client, PASSWORD)

    assert response.status_code == 302 and _logged_in(client)


def test_a_successful_log_in_clears_the_count(client, clerk):
    for _attempt_number in range(4):
        _attempt(client, "wrong")
    assert _attempt(client, PASSWORD).status_code == 302
    client.post(reverse("office:logout"))

    for _attempt_number in range(4):
        assert _attempt(client, "wrong").status_code == 200
    assert _attempt(client, PASSWORD).status_code == 302


def test_failures_for_another_username_do_not_lock_this_one(client, clerk):
    for _attempt_number in range(5):
        _attempt(client, "wrong", username="iemand-anders", ip="10.0.0.2")

    assert _attempt(client, PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="podium.tenancy.login.locked")
    assert entry.object_id == "" and entry.data["username"] == "iemand-anders"


def test_many_failures_from_one_address_lock_that_address(client, clerk, settings):
    settings.PODIUM_LOGIN_MAX_FAILURES_PER_IP = 5
    for number in range(5):
        _attempt(client, "wrong", username=f"gok-{number}", ip="10.6.6.6")

    assert _attempt(client, PASSWORD, ip="10.6.6.6").status_code == 429
    assert _attempt(client, PASSWORD, ip="10.0.0.1").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_locked_not_the_proxy(
    client, clerk, settings
):
    settings.PODIUM_LOGIN_MAX_FAILURES_PER_IP = 5
    settings.PODIUM_NUM_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.9.9.9"}
    for number in range(5):
        client.post(
            LOGIN,
            {"username": f"gok-{number}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.66",
            **proxy,
        )

    def from_(address):
        return client.post(
            LOGIN,
            {"username": "kassa", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=address,
            **proxy,
        )

    assert from_("203.0.113.66").status_code == 429
    assert from_("198.51.100.7").status_code == 302  # other staff behind the proxy


def test_wrong_codes_count_towards_the_lock(client, house, staff_factory):
    staff_factory(house, StaffRole.Role.HOUSE_ADMIN, username="beheer")
    code_url = reverse("office:login-code")
    for _round in range(2):
        _attempt(client, PASSWORD, username="beheer")
        for _try in range(3):
            client.post(code_url, {"code": "000000"}, REMOTE_ADDR="10.0.0.1")

    assert _attempt(client, PASSWORD, username="beheer").status_code == 429
