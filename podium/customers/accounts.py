"""Customer accounts in the cluster's shop: sign-up, sign-in, links, data, wish list.

Customers are not staff users. They sign in with e-mail and password or with a
one-time link sent by e-mail; the interface keeps who is signed in (shop/session.py).

- A one-time link is a `TimestampSigner` token over the customer id, the purpose, a
  nonce and a fingerprint of the account's state (last sign-in, password hash, e-mail,
  verified flag). Using a link signs the customer in, which changes the last sign-in,
  so the same link never works twice; it expires after `LINK_MAX_AGE`.
- Nobody takes over an existing customer (made at a desk or by a guest order) without
  proving the e-mail address: signing up with a known address only sends a link, and
  the password chosen is kept aside (in the cache, under the link's nonce) until the
  link is followed.
- Failed sign-ins lock the address for a while (`LOCKOUT_FAILURES` in
  `LOCKOUT_SECONDS`); an unknown address costs the same hashing time as a known one.
- Orders: a customer's orders are those with their `customer` key, and guest orders
  (no customer) placed with their verified e-mail address (`orders_of`).

The orders live in `sales`, a layer above this one: they are reached through the
reverse relation `Customer.orders` (its `.model`), never by importing `sales`.
"""

import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.catalog.models import Performance
from podium.catalog.selectors import public_performances
from podium.core.audit import audit_log
from podium.core.counters import count_in_window
from podium.core.errors import NotFound
from podium.core.i18n import localize
from podium.core.models import AuditEntry
from podium.tenancy.models import Cluster, House

from .errors import CustomerError, CustomerErrorCode
from .lines import phone_digits
from .models import Consent, Customer, CustomerNote, CustomerRelation, WishlistItem
from .services import _cleaned

LINK_MAX_AGE = 15 * 60  # seconds a one-time link stays valid
LOCKOUT_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
LINK_MAILS_PER_ADDRESS = 5  # link mails to one address per LOCKOUT_SECONDS
ERASED_NAME = "verwijderde klant"
_LINK_SALT = "podium.customers.link"
_STATE_SALT = "podium.customers.link-state"

LinkPurpose = Literal["sign_in", "reset", "email"]


@dataclass(frozen=True)
class SignUpResult:
    """`customer` is set (and signed in by the caller) only for a brand-new address;
    otherwise a link went to the address and the caller says "check your mail"."""

    customer: Customer | None


@dataclass(frozen=True)
class LinkResult:
    customer: Customer
    purpose: LinkPurpose


# ------------------------------------------------------------------ throttling


def rate_limited(key: str, *, limit: int, window: int = LOCKOUT_SECONDS) -> bool:
    """Count one more attempt for `key`; True once more than `limit` fell in the
    window (which starts at the first attempt)."""
    cache_key = "podium:throttle:" + hashlib.sha256(key.encode()).hexdigest()
    return count_in_window(cache_key, window=window) > limit


def _failures_key(cluster: Cluster, email: str) -> str:
    digest = hashlib.sha256(f"{cluster.pk}:{email.lower()}".encode()).hexdigest()
    return f"podium:customers:failures:{digest}"


# ------------------------------------------------------------------ look-ups


def _by_email(cluster: Cluster, email: str) -> Customer | None:
    email = email.strip()
    if not email:
        return None
    return Customer.objects.filter(cluster=cluster, email__iexact=email).first()


def _email_checked(email: str) -> str:
    return _cleaned(name="-", email=email, phone="")["email"]


def _password_checked(password: str, customer: Customer) -> None:
    try:
        validate_password(password, user=customer)
    except ValidationError as error:
        raise CustomerError(
            " ".join(error.messages), code=CustomerErrorCode.INVALID, field="password"
        ) from None


# ------------------------------------------------------------------ one-time links


def _state(customer: Customer) -> str:
    last = customer.last_login.isoformat() if customer.last_login else ""
    value = f"{last}|{customer.password}|{customer.email.lower()}|"
    value += str(customer.email_verified)
    return salted_hmac(_STATE_SALT, value).hexdigest()[:20]


def link_token(
    customer: Customer, purpose: LinkPurpose, *, nonce: str = "", **extra
) -> str:
    """A one-time token for `customer` (valid `LINK_MAX_AGE` seconds)."""
    payload = {
        "c": customer.pk,
        "p": purpose,
        "s": _state(customer),
        "n": nonce or secrets.token_urlsafe(8),
        **extra,
    }
    return signing.TimestampSigner(salt=_LINK_SALT).sign_object(payload)


def _pending_password_key(nonce: str) -> str:
    return f"podium:customers:pending-password:{nonce}"


_SUBJECTS = {
    "sign_in": gettext_lazy("Your sign-in link for %(cluster)s"),
    "claim": gettext_lazy("Confirm your account at %(cluster)s"),
    "verify": gettext_lazy("Confirm your e-mail address for %(cluster)s"),
    "exists": gettext_lazy("You already have an account at %(cluster)s"),
    "reset": gettext_lazy("Choose a new password for %(cluster)s"),
    "email": gettext_lazy("Confirm your new e-mail address for %(cluster)s"),
}


def _send_link(
    customer: Customer, *, kind: str, to: str, link_base: str, token: str
) -> None:
    cluster = customer.cluster
    context = {
        "customer": customer,
        "cluster": cluster,
        "kind": kind,
        "link": link_base + token + "/",
        "minutes": LINK_MAX_AGE // 60,
    }
    EmailMessage(
        subject=str(_SUBJECTS[kind]) % {"cluster": cluster.name},
        body=render_to_string("customers/mail/account_link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    ).send()


def sign_in_link_send(*, cluster: Cluster, email: str, link_base: str) -> None:
    """Mail a one-time sign-in link to the customer with `email`, if there is one.

    Says nothing either way (no telling which addresses have an account). At most
    `LINK_MAILS_PER_ADDRESS` mails per address per quarter of an hour.
    `link_base`: the absolute URL the token is appended to (".../account/link/").
    """
    customer = _by_email(cluster, email)
    if customer is None or rate_limited(
        f"link-mail:{cluster.pk}:{email.strip().lower()}", limit=LINK_MAILS_PER_ADDRESS
    ):
        return
    token = link_token(customer, "sign_in")
    _send_link(
        customer, kind="sign_in", to=customer.email, link_base=link_base, token=token
    )


def password_reset_send(*, cluster: Cluster, email: str, link_base: str) -> None:
    """Like `sign_in_link_send`; the link leads to choosing a new password."""
    customer = _by_email(cluster, email)
    if customer is None or rate_limited(
        f"link-mail:{cluster.pk}:{email.strip().lower()}", limit=LINK_MAILS_PER_ADDRESS
    ):
        return
    token = link_token(customer, "reset")
    _send_link(
        customer, kind="reset", to=customer.email, link_base=link_base, token=token
    )


def _link_invalid() -> CustomerError:
    return CustomerError(
        gettext_lazy(
            "This link has expired or was already used. Ask for a new one below."
        ),
        code=CustomerErrorCode.LINK_INVALID,
    )


@transaction.atomic
def sign_in_link_use(*, cluster: Cluster, token: str) -> LinkResult:
    """Follow a one-time link: proves the e-mail address and signs in (the caller
    puts the customer in the session). Raises LINK_INVALID when the link is forged,
    expired, already used or of another cluster."""
    try:
        payload = signing.TimestampSigner(salt=_LINK_SALT).unsign_object(
            token, max_age=LINK_MAX_AGE
        )
    except signing.BadSignature:
        raise _link_invalid() from None
    customer = (
        Customer.objects.select_for_update()
        .filter(pk=payload.get("c"), cluster=cluster)
        .first()
    )
    purpose = payload.get("p")
    if (
        customer is None
        or purpose not in ("sign_in", "reset", "email")
        or not constant_time_compare(payload.get("s", ""), _state(customer))
    ):
        raise _link_invalid()
    changed: dict = {}
    if purpose == "email":
        new_email = payload.get("e", "")
        other = _by_email(cluster, new_email)
        if not new_email or (other is not None and other.pk != customer.pk):
            raise CustomerError(
                gettext_lazy("Another customer already has this e-mail address."),
                code=CustomerErrorCode.EMAIL_TAKEN,
                field="email",
            )
        changed["email"] = [customer.email, new_email]
        customer.email = new_email
    pending = cache.get(_pending_password_key(payload.get("n", "")))
    if pending and purpose == "sign_in":
        customer.password = pending
        cache.delete(_pending_password_key(payload["n"]))
        changed["password"] = True
    customer.email_verified = True
    customer.last_login = timezone.now()
    customer.save()
    if changed:
        audit_log(
            action="podium.customers.account.changed_by_link",
            obj=customer,
            actor=None,
            data={"customer": customer.pk, "fields": sorted(changed)},
        )
    return LinkResult(customer=customer, purpose=purpose)


# ------------------------------------------------------------------ sign-up, sign-in


def sign_up(
    *, cluster: Cluster, name: str, email: str, password: str, link_base: str
) -> SignUpResult:
    """Open an account.

    A brand-new address gets its customer at once (signed in by the caller) and a
    link to confirm the address. A known address is never opened without proof: a
    customer without a password gets a link that sets the chosen password when
    followed; one with a password gets a sign-in link. Either way the caller only
    says "check your mailbox".
    """
    fields = _cleaned(name=name, email=email, phone="")
    if not fields["email"]:
        raise CustomerError(
            gettext_lazy("Enter a valid e-mail address."),
            code=CustomerErrorCode.INVALID,
            field="email",
        )
    candidate = Customer(cluster=cluster, name=fields["name"], email=fields["email"])
    _password_checked(password, candidate)
    existing = _by_email(cluster, fields["email"])
    if existing is None:
        try:
            return SignUpResult(
                customer=_sign_up_new(candidate, password, link_base=link_base)
            )
        except IntegrityError:  # a twin signed up meanwhile
            existing = _by_email(cluster, fields["email"])
            if existing is None:
                raise
    if existing.password:
        token = link_token(existing, "sign_in")
        kind = "exists"
    else:
        nonce = secrets.token_urlsafe(16)
        token = link_token(existing, "sign_in", nonce=nonce)
        cache.set(_pending_password_key(nonce), make_password(password), LINK_MAX_AGE)
        kind = "claim"
    if not rate_limited(
        f"link-mail:{cluster.pk}:{existing.email.lower()}",
        limit=LINK_MAILS_PER_ADDRESS,
    ):
        _send_link(
            existing, kind=kind, to=existing.email, link_base=link_base, token=token
        )
    return SignUpResult(customer=None)


@transaction.atomic
def _sign_up_new(candidate: Customer, password: str, *, link_base: str) -> Customer:
    candidate.password = make_password(password)
    candidate.last_login = timezone.now()
    with transaction.atomic():
        candidate.save()
    audit_log(
        action="podium.customers.account.signed_up",
        obj=candidate,
        actor=None,
        data={"customer": candidate.pk},
    )
    token = link_token(candidate, "sign_in")
    transaction.on_commit(
        lambda: _send_link(
            candidate,
            kind="verify",
            to=candidate.email,
            link_base=link_base,
            token=token,
        )
    )
    return candidate


def authenticate(*, cluster: Cluster, email: str, password: str) -> Customer:
    """The customer of `cluster` with this e-mail and password.

    Raises BAD_CREDENTIALS alike for an unknown address, a customer without a password
    and a wrong password (hashing each time, so the answer takes as long), and LOCKED
    after `LOCKOUT_FAILURES` failures for the address in `LOCKOUT_SECONDS`.
    """
    failures_key = _failures_key(cluster, email.strip())
    if cache.get(failures_key, 0) >= LOCKOUT_FAILURES:
        make_password(password)  # the same time as a real attempt
        raise CustomerError(
            gettext_lazy(
                "Too many failed attempts. Wait a quarter of an hour, or ask for a "
                "sign-in link by e-mail."
            ),
            code=CustomerErrorCode.LOCKED,
        )
    customer = _by_email(cluster, email)
    ok = False
    if customer is None or not customer.password:
        make_password(password)  # hash anyway: unknown addresses cost the same
    else:

        def upgrade(raw: str) -> None:
            Customer.objects.filter(pk=customer.pk).update(password=make_password(raw))

        ok = check_password(password, customer.password, upgrade)
    if not ok:
        cache.add(failures_key, 0, LOCKOUT_SECONDS)
        try:
            cache.incr(failures_key)
        except ValueError:
            cache.set(failures_key, 1, LOCKOUT_SECONDS)
        raise CustomerError(
            gettext_lazy("This e-mail address and password do not match."),
            code=CustomerErrorCode.BAD_CREDENTIALS,
        )
    cache.delete(failures_key)
    customer.last_login = timezone.now()
    Customer.objects.filter(pk=customer.pk).update(last_login=customer.last_login)
    return customer


@transaction.atomic
def password_change(
    *, customer: Customer, new_password: str, current_password: str | None
) -> Customer:
    """Set a new password. `current_password` is checked when the customer has one;
    pass None only right after a reset link proved the e-mail address."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if (
        current_password is not None
        and customer.password
        and not check_password(current_password, customer.password)
    ):
        raise CustomerError(
            gettext_lazy("Your current password is not correct."),
            code=CustomerErrorCode.BAD_CREDENTIALS,
            field="current_password",
        )
    _password_checked(new_password, customer)
    customer.password = make_password(new_password)
    customer.save(update_fields=["password", "updated_at"])
    audit_log(
        action="podium.customers.account.password_changed",
        obj=customer,
        actor=None,
        data={"customer": customer.pk},
    )
    return customer


# ------------------------------------------------------------------ my data


@transaction.atomic
def profile_update(*, customer: Customer, name: str, phone: str) -> Customer:
    """The customer changes their own name and phone (the e-mail goes by a link)."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    fields = _cleaned(name=name, email="", phone=phone)
    changed = {
        field: [getattr(customer, field), fields[field]]
        for field in ("name", "phone")
        if getattr(customer, field) != fields[field]
    }
    if changed:
        customer.name, customer.phone = fields["name"], fields["phone"]
        customer.phone_digits = phone_digits(customer.phone)
        customer.save()
        audit_log(
            action="podium.customers.account.updated",
            obj=customer,
            actor=None,
            data={"customer": customer.pk, "changed": changed},
        )
    return customer


def email_change_request(*, customer: Customer, new_email: str, link_base: str) -> None:
    """Mail a confirmation link to `new_email`; the address changes when followed."""
    new_email = _email_checked(new_email)
    if not new_email:
        raise CustomerError(
            gettext_lazy("Enter a valid e-mail address."),
            code=CustomerErrorCode.INVALID,
            field="email",
        )
    other = _by_email(customer.cluster, new_email)
    if other is not None and other.pk != customer.pk:
        raise CustomerError(
            gettext_lazy("Another customer already has this e-mail address."),
            code=CustomerErrorCode.EMAIL_TAKEN,
            field="email",
        )
    if rate_limited(
        f"link-mail:{customer.cluster_id}:{new_email.lower()}",
        limit=LINK_MAILS_PER_ADDRESS,
    ):
        return
    token = link_token(customer, "email", e=new_email)
    _send_link(customer, kind="email", to=new_email, link_base=link_base, token=token)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def customer_profile_export(customer: Customer) -> dict:
    """What the customers app keeps on `customer`, as JSON-ready data; the orders
    are added by `podium.sales.customer_data.customer_data_export`."""
    relations = CustomerRelation._base_manager.filter(customer=customer)
    consents = Consent._base_manager.filter(customer=customer).order_by("at", "pk")
    houses = {house.pk: house.name for house in House.objects.all()}
    wishlist = WishlistItem.objects.filter(customer=customer).select_related(
        "performance__production"
    )
    return {
        "profile": {
            "name": customer.name,
            "email": customer.email,
            "email_verified": customer.email_verified,
            "phone": customer.phone,
            "has_password": bool(customer.password),
            "created_at": _iso(customer.created_at),
            "last_login": _iso(customer.last_login),
            "cluster": customer.cluster.name,
        },
        "houses": [
            {
                "house": houses.get(relation.house_id, ""),
                "source": relation.source,
                "since": _iso(relation.created_at),
            }
            for relation in relations
        ],
        "consents": [
            {
                "house": houses.get(consent.house_id, ""),
                "purpose": consent.purpose,
                "granted": consent.granted,
                "at": _iso(consent.at),
                "source": consent.source,
            }
            for consent in consents
        ],
        "wishlist": [
            {
                "performance": localize(item.performance.production.title),
                "starts_at": _iso(item.performance.starts_at),
                "saved_at": _iso(item.created_at),
            }
            for item in wishlist
        ],
    }


@transaction.atomic
def customer_forget(*, customer: Customer, actor=None, orders: int = 0) -> Customer:
    """Remove the person from the customers app (the erasure's own part; the orders
    are blanked first by `podium.sales.customer_data.customer_erase`).

    Consents, wish list, notes and relations go; the customer row stays as
    "verwijderde klant" without any contact data, and earlier audit entries about
    the customer lose their values.
    """
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    WishlistItem.objects.filter(customer=customer).delete()
    Consent._base_manager.filter(customer=customer).delete()
    CustomerNote._base_manager.filter(customer=customer).delete()
    CustomerRelation._base_manager.filter(customer=customer).delete()
    AuditEntry.objects.filter(
        Q(object_type=Customer._meta.label_lower, object_id=str(customer.pk))
        | Q(data__customer=customer.pk)
    ).update(data={"customer": customer.pk, "erased": True})
    customer.name = ERASED_NAME
    customer.email = customer.phone = customer.phone_digits = ""
    customer.password = customer.wishlist_token = ""
    customer.last_login = None
    customer.email_verified = False
    customer.save()
    audit_log(
        action="podium.customers.account.erased",
        obj=customer,
        actor=actor,
        data={"customer": customer.pk, "orders": orders},
    )
    return customer


# ------------------------------------------------------------------ consents


def _house_of_cluster(customer: Customer, house: House) -> None:
    if house.cluster_id != customer.cluster_id:
        raise NotFound(_("House not found."))


def consents_current(*, customer: Customer) -> dict[tuple[int, str], bool]:
    """{(house id, purpose): granted} from the latest row of each; none = not given."""
    current: dict[tuple[int, str], bool] = {}
    for consent in Consent._base_manager.filter(customer=customer).order_by("at", "pk"):
        current[(consent.house_id, consent.purpose)] = consent.granted
    return current


@transaction.atomic
def consent_set(
    *, customer: Customer, house: House, purpose: str, granted: bool, source: str
) -> Consent | None:
    """Record the customer's choice; a new row only when it changes (None if not)."""
    _house_of_cluster(customer, house)
    if purpose not in Consent.Purpose.values or source not in Consent.Source.values:
        raise CustomerError(
            gettext_lazy("Unknown consent."), code=CustomerErrorCode.INVALID
        )
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    latest = (
        Consent._base_manager.filter(customer=customer, house=house, purpose=purpose)
        .order_by("-at", "-pk")
        .first()
    )
    if latest is not None and latest.granted == granted:
        return None
    if latest is None and not granted:
        return None  # never given: nothing to withdraw
    return Consent._base_manager.create(
        customer=customer,
        house=house,
        purpose=purpose,
        granted=granted,
        at=timezone.now(),
        source=source,
    )


# ------------------------------------------------------------------ wish list


def _performance_not_found() -> CustomerError:
    return CustomerError(
        gettext_lazy("This performance is not in our programme."),
        code=CustomerErrorCode.NOT_FOUND,
    )


@transaction.atomic
def wishlist_add(*, customer: Customer, performance_id: int) -> WishlistItem:
    """Keep a public, coming performance of the customer's cluster (idempotent)."""
    performance = (
        public_performances(houses=customer.cluster).filter(pk=performance_id).first()
    )
    if performance is None:
        raise _performance_not_found()
    item, _created = WishlistItem.objects.get_or_create(
        customer=customer, performance=performance
    )
    return item


@transaction.atomic
def wishlist_remove(*, customer: Customer, performance_id: int) -> None:
    WishlistItem.objects.filter(
        customer=customer, performance_id=performance_id
    ).delete()


def wishlist_performance_ids(*, customer: Customer) -> set[int]:
    return set(
        WishlistItem.objects.filter(customer=customer).values_list(
            "performance_id", flat=True
        )
    )


def wishlist_performances(*, customer: Customer) -> QuerySet[Performance]:
    """The wish list's performances still public and to come, soonest first."""
    return public_performances(houses=customer.cluster).filter(
        pk__in=WishlistItem.objects.filter(customer=customer).values("performance_id")
    )


@transaction.atomic
def wishlist_token_get(*, customer: Customer) -> str:
    """The wish list's share token, made on first use."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if not customer.wishlist_token:
        customer.wishlist_token = secrets.token_urlsafe(24)
        customer.save(update_fields=["wishlist_token", "updated_at"])
    return customer.wishlist_token


@transaction.atomic
def wishlist_token_rotate(*, customer: Customer) -> str:
    """A new share token: the old link stops working."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    customer.wishlist_token = secrets.token_urlsafe(24)
    customer.save(update_fields=["wishlist_token", "updated_at"])
    return customer.wishlist_token


def wishlist_shared(*, cluster: Cluster, token: str) -> Customer:
    """The customer whose wish list `token` shares, in `cluster`; NotFound else."""
    if not token:
        raise NotFound(_("This wish list does not exist (any more)."))
    customer = Customer.objects.filter(cluster=cluster, wishlist_token=token).first()
    if customer is None or not constant_time_compare(customer.wishlist_token, token):
        raise NotFound(_("This wish list does not exist (any more)."))
    return customer
