"""Password reset by e-mail: a working link for a known address, the same answer for
an unknown one, and the new password works (the old one not)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from podium.tenancy import lockout
from podium.tenancy.models import StaffRole

RESET = reverse("office:password-reset")
NEW_PASSWORD = "a-new-and-long-passphrase-42"


@pytest.fixture
def clerk(house, staff_factory):
    user = staff_factory(house, StaffRole.Role.TICKETING, username="kassa")
    user.email = "kassa@huis-a.be"
    user.save()
    return user


def _link(message) -> str:
    match = re.search(r"https?://testserver(/office/password/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_log_in_page_links_to_the_reset(client):
    page = client.get(reverse("office:login"))

    assert RESET.encode() in page.content


def test_a_known_address_gets_a_working_link(client, clerk):
    response = client.post(RESET, {"email": "KASSA@huis-a.be"})

    assert response.status_code == 302
    assert response.url == reverse("office:password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kassa@huis-a.be"]
    assert "kassa" in message.body
    form_page = client.get(_link(message), follow=True)
    assert form_page.context["validlink"]
    saved = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert saved.url == reverse("office:password-reset-complete")
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    assert not clerk.check_password(PASSWORD)
    # Not logged in by the reset: the log-in (and its code step) still applies.
    assert "_auth_user_id" not in client.session


def test_the_link_works_once(client, clerk):
    client.post(RESET, {"email": "kassa@huis-a.be"})
    link = _link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = client.get(link, follow=True)

    assert not again.context["validlink"]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, clerk):
    known = client.post(RESET, {"email": "kassa@huis-a.be"})
    unknown = client.post(RESET, {"email": "niemand@huis-a.be"})

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert len(mail.outbox) == 1


def test_a_new_password_lifts_a_lock_out(client, clerk):
    for _attempt in range(5):
        lockout.login_failed(username="kassa", ip="10.0.0.1")
    assert lockout.login_locked(username="kassa", ip=None)
    client.post(RESET, {"email": "kassa@huis-a.be"})
    form_page = client.get(_link(mail.outbox[0]), follow=True)

    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert not lockout.login_locked(username="kassa", ip=None)


def test_passwords_are_hashed_with_argon2_and_older_hashes_upgrade_at_log_in(
    client, clerk, settings
):
    from django.contrib.auth.hashers import make_password

    from config import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith(".Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    clerk.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    clerk.save()

    client.post(reverse("office:login"), {"username": "kassa", "password": PASSWORD})

    clerk.refresh_from_db()
    assert clerk.password.startswith("argon2$argon2id$")
