"""Customer accounts: sign-up and sign-in, one-time links, lock-out, data export and
erasure, consents and the wish list. (Orders in accounts: sales/tests/
test_customer_accounts.py, since this layer may not import sales.)"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory
from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.customers import accounts
from podium.customers.errors import CustomerError, CustomerErrorCode
from podium.customers.models import (
    Consent,
    Customer,
    CustomerNote,
    CustomerRelation,
    WishlistItem,
)
from podium.customers.services import customer_create
from podium.tenancy.scoping import cluster_scope
from podium.tenancy.tests.factories import ClusterFactory, HallFactory, HouseFactory

from .factories import CustomerFactory, customer_make

pytestmark = pytest.mark.django_db

LINK_BASE = "http://testserver/account/link/"
PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def scoped(cluster, house, other_house):
    """The body runs in the shop's scope: every house of the cluster."""
    with cluster_scope(cluster):
        yield cluster


def token_from(message) -> str:
    return re.search(r"/account/link/(\S+)/", message.body).group(1)


def signed_up(cluster, email="an@example.be", password=PASSWORD, *, capture):
    with capture(execute=True):
        result = accounts.sign_up(
            cluster=cluster,
            name="An Peeters",
            email=email,
            password=password,
            link_base=LINK_BASE,
        )
    return result


# ------------------------------------------------------------------ sign-up


def test_a_new_address_gets_an_account_at_once_and_a_confirmation_link(
    cluster, django_capture_on_commit_callbacks
):
    result = signed_up(cluster, capture=django_capture_on_commit_callbacks)

    customer = result.customer
    assert customer.cluster == cluster
    assert check_password(PASSWORD, customer.password)
    assert customer.email_verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an@example.be"]
    assert LINK_BASE in mail.outbox[0].body

    used = accounts.sign_in_link_use(cluster=cluster, token=token_from(mail.outbox[0]))

    assert used.customer.pk == customer.pk
    assert Customer.objects.get(pk=customer.pk).email_verified is True


def test_a_weak_password_is_refused(cluster):
    with pytest.raises(CustomerError) as raised:
        accounts.sign_up(
            cluster=cluster,
            name="An",
            email="an@example.be",
            password="12345678",
            link_base=LINK_BASE,
        )

    assert raised.value.field == "password"
    assert not Customer.objects.exists()


def test_signing_up_with_a_desk_customers_address_does_not_take_it_over(
    cluster, house, django_capture_on_commit_callbacks
):
    desk = customer_create(
        house=house, actor=None, name="An Peeters", email="an@example.be"
    )

    result = signed_up(
        cluster, email="AN@example.be", capture=django_capture_on_commit_callbacks
    )

    assert result.customer is None
    desk.refresh_from_db()
    assert desk.password == "" and desk.email_verified is False
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.be"]
    with pytest.raises(CustomerError):
        accounts.authenticate(cluster=cluster, email="an@example.be", password=PASSWORD)

    # Following the link proves the address: the chosen password is set.
    accounts.sign_in_link_use(cluster=cluster, token=token_from(mail.outbox[0]))

    desk.refresh_from_db()
    assert desk.email_verified is True
    signed_in = accounts.authenticate(
        cluster=cluster, email="an@example.be", password=PASSWORD
    )
    assert signed_in.pk == desk.pk
    assert Customer.objects.count() == 1


def test_signing_up_with_an_address_that_has_an_account_only_mails_a_link(
    cluster, django_capture_on_commit_callbacks
):
    signed_up(cluster, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()

    again = accounts.sign_up(
        cluster=cluster,
        name="Iemand",
        email="an@example.be",
        password="een-ander-wachtwoord-7",
        link_base=LINK_BASE,
    )

    assert again.customer is None
    assert len(mail.outbox) == 1
    assert "already have an account" in mail.outbox[0].subject
    accounts.authenticate(cluster=cluster, email="an@example.be", password=PASSWORD)


# ------------------------------------------------------------------ sign-in


@pytest.fixture
def an(cluster, django_capture_on_commit_callbacks):
    customer = signed_up(cluster, capture=django_capture_on_commit_callbacks).customer
    mail.outbox.clear()
    return customer


def test_the_right_password_signs_in_and_records_it(cluster, an):
    before = an.last_login

    customer = accounts.authenticate(
        cluster=cluster, email="An@Example.be", password=PASSWORD
    )

    assert customer.pk == an.pk
    assert Customer.objects.get(pk=an.pk).last_login > before


@pytest.mark.parametrize(
    ("email", "password"),
    [("an@example.be", "wrong-password-1"), ("nobody@example.be", PASSWORD)],
)
def test_a_wrong_password_and_an_unknown_address_fail_alike(
    cluster, an, email, password
):
    with pytest.raises(CustomerError) as raised:
        accounts.authenticate(cluster=cluster, email=email, password=password)

    assert raised.value.code == CustomerErrorCode.BAD_CREDENTIALS


def test_an_unknown_address_is_hashed_anyway(cluster, monkeypatch):
    hashed = []
    real = accounts.make_password
    monkeypatch.setattr(
        accounts, "make_password", lambda raw: hashed.append(raw) or real(raw)
    )

    with pytest.raises(CustomerError):
        accounts.authenticate(cluster=cluster, email="x@example.be", password="pw")

    assert hashed == ["pw"]


def test_five_failures_lock_the_address_for_a_quarter_of_an_hour(cluster, an):
    for _attempt in range(accounts.LOCKOUT_FAILURES):
        with pytest.raises(CustomerError):
            accounts.authenticate(
                cluster=cluster, email="an@example.be", password="wrong-one"
            )

    with pytest.raises(CustomerError) as raised:
        accounts.authenticate(cluster=cluster, email="an@example.be", password=PASSWORD)

    assert raised.value.code == CustomerErrorCode.LOCKED


def test_a_customer_of_another_cluster_cannot_sign_in_here(cluster, an):
    elsewhere = ClusterFactory()

    with pytest.raises(CustomerError):
        accounts.authenticate(
            cluster=elsewhere, email="an@example.be", password=PASSWORD
        )


# ------------------------------------------------------------------ links


def test_a_sign_in_link_works_once(cluster, an):
    accounts.sign_in_link_send(
        cluster=cluster, email="an@example.be", link_base=LINK_BASE
    )
    token = token_from(mail.outbox[0])

    assert accounts.sign_in_link_use(cluster=cluster, token=token).customer.pk == an.pk
    with pytest.raises(CustomerError) as raised:
        accounts.sign_in_link_use(cluster=cluster, token=token)

    assert raised.value.code == CustomerErrorCode.LINK_INVALID


def test_a_sign_in_link_expires_after_15_minutes(cluster, an):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        accounts.sign_in_link_send(
            cluster=cluster, email="an@example.be", link_base=LINK_BASE
        )
        traveller.shift(timedelta(minutes=15, seconds=1))

        with pytest.raises(CustomerError) as raised:
            accounts.sign_in_link_use(cluster=cluster, token=token_from(mail.outbox[0]))

    assert raised.value.code == CustomerErrorCode.LINK_INVALID


def test_a_link_is_refused_in_another_cluster_and_when_tampered(cluster, an):
    accounts.sign_in_link_send(
        cluster=cluster, email="an@example.be", link_base=LINK_BASE
    )
    token = token_from(mail.outbox[0])

    for other_cluster, other_token in [
        (ClusterFactory(), token),
        (cluster, token + "x"),
    ]:
        with pytest.raises(CustomerError):
            accounts.sign_in_link_use(cluster=other_cluster, token=other_token)


def test_a_link_for_an_unknown_address_is_not_sent(cluster):
    accounts.sign_in_link_send(
        cluster=cluster, email="nobody@example.be", link_base=LINK_BASE
    )

    assert mail.outbox == []


def test_link_mails_to_one_address_are_limited(cluster, an):
    for _attempt in range(accounts.LINK_MAILS_PER_ADDRESS + 3):
        accounts.sign_in_link_send(
            cluster=cluster, email="an@example.be", link_base=LINK_BASE
        )

    assert len(mail.outbox) == accounts.LINK_MAILS_PER_ADDRESS


def test_a_reset_link_then_a_new_password_without_the_old_one(cluster, an):
    accounts.password_reset_send(
        cluster=cluster, email="an@example.be", link_base=LINK_BASE
    )
    used = accounts.sign_in_link_use(cluster=cluster, token=token_from(mail.outbox[0]))

    assert used.purpose == "reset"
    accounts.password_change(
        customer=an, new_password="nieuw-wachtwoord-99", current_password=None
    )
    accounts.authenticate(
        cluster=cluster, email="an@example.be", password="nieuw-wachtwoord-99"
    )


def test_changing_the_password_needs_the_current_one(an):
    with pytest.raises(CustomerError) as raised:
        accounts.password_change(
            customer=an, new_password="nieuw-wachtwoord-99", current_password="nope"
        )

    assert raised.value.field == "current_password"


def test_a_new_email_address_is_used_only_after_its_link(cluster, an):
    accounts.email_change_request(
        customer=an, new_email="an.nieuw@example.be", link_base=LINK_BASE
    )

    assert Customer.objects.get(pk=an.pk).email == "an@example.be"
    assert mail.outbox[0].to == ["an.nieuw@example.be"]
    accounts.sign_in_link_use(cluster=cluster, token=token_from(mail.outbox[0]))
    customer = Customer.objects.get(pk=an.pk)
    assert customer.email == "an.nieuw@example.be"
    assert customer.email_verified is True


def test_an_address_of_another_customer_cannot_be_taken(cluster, an):
    CustomerFactory(cluster=cluster, email="bert@example.be")

    with pytest.raises(CustomerError) as raised:
        accounts.email_change_request(
            customer=an, new_email="bert@example.be", link_base=LINK_BASE
        )

    assert raised.value.code == CustomerErrorCode.EMAIL_TAKEN


# ------------------------------------------------------------------ consents


def test_consents_keep_their_history_and_the_latest_counts(an, house, other_house):
    accounts.consent_set(
        customer=an, house=house, purpose="newsletter", granted=True, source="checkout"
    )
    same = accounts.consent_set(
        customer=an, house=house, purpose="newsletter", granted=True, source="checkout"
    )
    accounts.consent_set(
        customer=an,
        house=house,
        purpose="newsletter",
        granted=False,
        source="account page",
    )
    accounts.consent_set(
        customer=an,
        house=other_house,
        purpose="suggestions",
        granted=True,
        source="account page",
    )

    assert same is None
    history = Consent._base_manager.filter(customer=an, house=house).order_by("at")
    assert [(c.granted, c.source) for c in history] == [
        (True, "checkout"),
        (False, "account page"),
    ]
    assert accounts.consents_current(customer=an) == {
        (house.pk, "newsletter"): False,
        (other_house.pk, "suggestions"): True,
    }


def test_a_consent_for_a_house_of_another_cluster_is_refused(an):
    far = HouseFactory()

    with pytest.raises(NotFound):
        accounts.consent_set(
            customer=an, house=far, purpose="newsletter", granted=True, source="desk"
        )


# ------------------------------------------------------------------ wish list


@pytest.fixture
def show(house):
    return PerformanceFactory(house=house, hall=HallFactory(house=house))


def test_the_wish_list_adds_once_and_removes(scoped, an, show):
    accounts.wishlist_add(customer=an, performance_id=show.pk)
    accounts.wishlist_add(customer=an, performance_id=show.pk)

    assert list(accounts.wishlist_performances(customer=an)) == [show]
    accounts.wishlist_remove(customer=an, performance_id=show.pk)
    assert list(accounts.wishlist_performances(customer=an)) == []


def test_a_hidden_or_foreign_performance_cannot_be_saved(scoped, an, show):
    Performance.objects.filter(pk=show.pk).update(
        visibility=Performance.Visibility.HIDDEN
    )
    far = HouseFactory()
    foreign = PerformanceFactory(house=far, hall=HallFactory(house=far))

    for performance in (show, foreign):
        with pytest.raises(CustomerError):
            accounts.wishlist_add(customer=an, performance_id=performance.pk)


def test_the_share_token_is_made_once_and_rotates(cluster, an):
    token = accounts.wishlist_token_get(customer=an)

    assert token == accounts.wishlist_token_get(customer=an)
    assert accounts.wishlist_shared(cluster=cluster, token=token).pk == an.pk
    new = accounts.wishlist_token_rotate(customer=an)
    assert new != token
    for where, old in [(cluster, token), (ClusterFactory(), new), (cluster, "")]:
        with pytest.raises(NotFound):
            accounts.wishlist_shared(cluster=where, token=old)


# ------------------------------------------------------------------ my data


def test_the_export_holds_profile_consents_and_wish_list(scoped, an, house, show):
    CustomerRelation.objects.create(house=house, customer=an, source="desk")
    accounts.consent_set(
        customer=an, house=house, purpose="newsletter", granted=True, source="checkout"
    )
    accounts.wishlist_add(customer=an, performance_id=show.pk)

    data = accounts.customer_profile_export(an)

    assert data["profile"]["email"] == "an@example.be"
    assert data["profile"]["has_password"] is True
    assert "password" not in data["profile"]
    assert data["houses"] == [
        {"house": "Huis A", "source": "desk", "since": data["houses"][0]["since"]}
    ]
    assert data["consents"][0]["purpose"] == "newsletter"
    assert data["consents"][0]["source"] == "checkout"
    assert len(data["wishlist"]) == 1
    assert "orders" not in data  # added by the sales app


def test_erasing_removes_the_person_and_what_hangs_on_them(scoped, house, show):
    customer = customer_make(
        house, name="An Peeters", email="an@example.be", phone="0470 12 34 56"
    )
    CustomerNote.objects.create(house=house, customer=customer, text="rolstoel")
    accounts.consent_set(
        customer=customer,
        house=house,
        purpose="newsletter",
        granted=True,
        source="desk",
    )
    accounts.wishlist_add(customer=customer, performance_id=show.pk)
    accounts.wishlist_token_get(customer=customer)
    customer_create(house=house, actor=None, name="An", email="an@example.be")

    accounts.customer_forget(customer=customer)

    customer.refresh_from_db()
    assert customer.name == accounts.ERASED_NAME
    assert (customer.email, customer.phone, customer.password) == ("", "", "")
    assert customer.wishlist_token == ""
    assert not WishlistItem.objects.filter(customer=customer).exists()
    assert not Consent._base_manager.filter(customer=customer).exists()
    assert not CustomerNote._base_manager.filter(customer=customer).exists()
    assert not CustomerRelation._base_manager.filter(customer=customer).exists()
    entries = AuditEntry.objects.filter(object_type="customers.customer")
    assert entries.filter(action="podium.customers.account.erased").exists()
    for entry in AuditEntry.objects.all():
        assert "an@example.be" not in str(entry.data)
        assert "Peeters" not in str(entry.data)
