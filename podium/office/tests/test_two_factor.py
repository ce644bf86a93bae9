"""Two-step verification in the office: set-up, log-in with a code, recovery codes,
and house administrators who must set it up before any other office page."""

import time

import pytest
from django.urls import reverse

from conftest import PASSWORD, TOTP_SECRET, totp_now
from podium.core.models import AuditEntry
from podium.office import urls as office_urls
from podium.office.access import ACCESS
from podium.office.auth_views import PENDING_KEY
from podium.tenancy import totp
from podium.tenancy.models import StaffRole, StaffTOTP
from podium.tenancy.two_factor import two_factor_secret

Role = StaffRole.Role
LOGIN = reverse("office:login")
CODE = reverse("office:login-code")
SET_UP = reverse("office:two-factor")


def _password(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def _code_of(user, offset_steps=0):
    device = StaffTOTP.objects.get(user=user)
    key = totp.secret_bytes(two_factor_secret(device))
    return totp.totp(key, time.time() + 30 * offset_steps)


@pytest.fixture
def clerk(house, staff_factory):
    return staff_factory(house, Role.TICKETING, username="kassa")


@pytest.fixture
def admin(house, staff_factory):
    return staff_factory(house, Role.HOUSE_ADMIN, username="beheer")


def test_staff_sets_it_up_with_the_qr_code_and_sees_recovery_codes_once(client, clerk):
    client.force_login(clerk)

    page = client.get(SET_UP)

    assert page.status_code == 200
    assert b"<svg" in page.content and b"otpauth://totp/Podium:kassa" in page.content
    wrong = client.post(SET_UP, {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    done = client.post(SET_UP, {"code": _code_of(clerk)})
    assert done.status_code == 302 and done.url == SET_UP
    shown = client.get(SET_UP)
    codes = shown.context["recovery_codes"]
    assert len(codes) == 10 and codes[0].encode() in shown.content
    again = client.get(SET_UP)
    assert again.context["recovery_codes"] is None
    assert codes[0].encode() not in again.content
    assert b"otpauth" not in again.content
    assert AuditEntry.objects.filter(action="podium.tenancy.totp.confirmed").exists()


def test_log_in_asks_for_the_code_before_the_user_is_logged_in(client, admin):
    response = _password(client, "beheer", next_url="/office/orders/")

    assert response.status_code == 302 and response.url == CODE
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("office:home")).status_code == 302
    page = client.get(CODE)
    assert page.status_code == 200
    done = client.post(CODE, {"code": totp_now()})
    assert done.status_code == 302 and done.url == "/office/orders/"
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert PENDING_KEY not in client.session
    assert client.get(reverse("office:home")).status_code == 200


def test_the_same_code_does_not_log_in_twice(client, admin):
    code = totp_now()
    _password(client, "beheer")
    client.post(CODE, {"code": code})
    client.post(reverse("office:logout"))

    _password(client, "beheer")
    response = client.post(CODE, {"code": code})

    assert response.status_code == 200 and response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_a_code_of_the_next_step_is_accepted(client, admin):
    _password(client, "beheer")

    response = client.post(CODE, {"code": totp_now(offset_steps=1)})

    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_five_wrong_codes_send_back_to_the_start(client, admin):
    _password(client, "beheer")
    for _attempt in range(4):
        response = client.post(CODE, {"code": "000000"})
        assert response.status_code == 200
    response = client.post(CODE, {"code": "000000"})

    assert response.status_code == 302 and response.url == LOGIN
    assert PENDING_KEY not in client.session
    late = client.post(CODE, {"code": totp_now()})
    assert late.status_code == 302 and late.url == LOGIN
    assert "_auth_user_id" not in client.session


def test_the_code_step_expires(client, admin, settings):
    settings.PODIUM_LOGIN_CODE_SECONDS = -1
    _password(client, "beheer")

    response = client.post(CODE, {"code": totp_now()})

    assert response.status_code == 302 and response.url == LOGIN
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_step_goes_to_the_log_in(client):
    assert client.get(CODE).url == LOGIN


def test_a_recovery_code_logs_in_once(client, clerk):
    client.force_login(clerk)
    client.get(SET_UP)
    client.post(SET_UP, {"code": _code_of(clerk)})
    recovery = client.get(SET_UP).context["recovery_codes"][0]
    client.post(reverse("office:logout"))

    _password(client, "kassa")
    first = client.post(CODE, {"code": recovery})
    client.post(reverse("office:logout"))
    _password(client, "kassa")
    second = client.post(CODE, {"code": recovery})

    assert first.status_code == 302 and first.url == reverse("office:home")
    assert second.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_without_it_log_in_with_the_password_alone(client, clerk):
    response = _password(client, "kassa")

    assert response.status_code == 302 and response.url == reverse("office:home")
    assert client.get(reverse("office:desk")).status_code == 200


def test_a_house_admin_without_it_must_set_it_up_first(client, house, staff_factory):
    staff_factory(house, Role.HOUSE_ADMIN, username="nieuw", totp=False)

    response = _password(client, "nieuw")

    assert response.status_code == 302 and response.url == SET_UP
    assert client.get(SET_UP).status_code == 200


def test_a_house_admin_without_it_reaches_no_other_office_page(
    client, house, staff_factory
):
    user = staff_factory(house, Role.HOUSE_ADMIN, username="nieuw", totp=False)
    client.force_login(user)
    exempt = {"two-factor"} | {
        name for name, action in ACCESS.items() if action is None
    }

    for pattern in office_urls.urlpatterns:
        if pattern.name in exempt:
            continue
        kwargs = {key: "1" for key in pattern.pattern.converters}
        url = reverse(f"office:{pattern.name}", kwargs=kwargs)
        for method in (client.get, client.post):
            response = method(url)
            assert (response.status_code, response.get("Location")) == (302, SET_UP), (
                url
            )

    assert client.get(SET_UP).status_code == 200
    client.post(SET_UP, {"code": _code_of(user)})
    assert client.get(reverse("office:home")).status_code == 200


def test_an_admin_in_a_second_house_must_set_it_up_too(
    client, house, other_house, staff_factory
):
    user = staff_factory(house, Role.TICKETING, username="dubbel")
    StaffRole.objects.create(user=user, role=Role.HOUSE_ADMIN, house=other_house)
    client.force_login(user)

    assert client.get(reverse("office:desk")).url == SET_UP


def test_staff_may_switch_it_off_but_a_house_admin_may_not(client, clerk, admin):
    client.force_login(clerk)
    client.get(SET_UP)
    client.post(SET_UP, {"code": _code_of(clerk)})
    disable = reverse("office:two-factor-disable")

    assert client.post(disable, {"code": "000000"}).status_code == 200
    off = client.post(disable, {"code": _code_of(clerk, offset_steps=1)})
    assert off.status_code == 302
    assert not StaffTOTP.objects.filter(user=clerk).exists()

    client.force_login(admin)
    refused = client.post(disable, {"code": totp_now(offset_steps=1)})
    assert refused.status_code == 200 and refused.context["required"]
    assert StaffTOTP.objects.get(user=admin).secret_sealed
    assert TOTP_SECRET not in StaffTOTP.objects.get(user=admin).secret_sealed


def test_a_staff_session_ends_after_a_working_day(client, clerk, settings):
    settings.PODIUM_STAFF_SESSION_SECONDS = 8 * 3600

    _password(client, "kassa")

    assert 8 * 3600 - 60 < client.session.get_expiry_age() <= 8 * 3600
    assert not client.session.get_expire_at_browser_close()


def test_log_out_clears_the_session(client, clerk):
    _password(client, "kassa")
    client.session["something"] = "kept?"

    client.post(reverse("office:logout"))

    assert "_auth_user_id" not in client.session
