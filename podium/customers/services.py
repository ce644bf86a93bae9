"""Writes on customers: create (or link by e-mail), update, notes and relations.

A customer belongs to the cluster; each write here acts for one house and leaves a
`CustomerRelation` of that house behind, so the house may see the customer from then
on. Audit entries go on the relation or the note, so that they carry the house.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from podium.core.audit import actor_user, audit_log
from podium.core.errors import NotFound
from podium.tenancy.models import House

from .errors import CustomerError, CustomerErrorCode
from .lines import line_split, phone_digits, phone_plausible
from .models import Customer, CustomerNote, CustomerRelation

CUSTOMER_FIELDS = ("name", "email", "phone")
NAME_MAX, EMAIL_MAX, PHONE_MAX, NOTE_MAX = 200, 254, 30, 2000
LINE_EXAMPLE = "Jan Peeters, jan@example.be, 0470 12 34 56"


def _invalid(message, field: str, **params) -> CustomerError:
    return CustomerError(
        message, code=CustomerErrorCode.INVALID, field=field, params=params
    )


def _cleaned(*, name: str, email: str, phone: str) -> dict[str, str]:
    """The fields stripped and checked; the first problem is raised."""
    name, email, phone = name.strip(), email.strip(), phone.strip()
    if not name:
        raise _invalid(_("Fill in the customer's name."), "name")
    if len(name) > NAME_MAX:
        raise _invalid(
            _("The name can be at most %(max)s characters long."), "name", max=NAME_MAX
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _invalid(_("Enter a valid e-mail address."), "email") from None
        if len(email) > EMAIL_MAX:
            raise _invalid(_("Enter a valid e-mail address."), "email")
    if phone and (len(phone) > PHONE_MAX or not phone_plausible(phone)):
        raise _invalid(
            _("Enter a phone number of 8 to 15 digits, e.g. 0470 12 34 56."), "phone"
        )
    return {"name": name, "email": email, "phone": phone}


def _by_email(house: House, email: str) -> Customer | None:
    if not email:
        return None
    return Customer.objects.filter(
        cluster_id=house.cluster_id, email__iexact=email
    ).first()


def customer_relate(
    *, house: House, actor, customer: Customer, source: str
) -> CustomerRelation:
    """Let `house` know `customer` (idempotent); needs an open transaction.

    Called by the sales services when an order is placed for the customer.
    """
    if customer.cluster_id != house.cluster_id:
        raise NotFound(_("Customer not found."))
    relation, created = CustomerRelation.objects.get_or_create(
        house=house, customer=customer, defaults={"source": source}
    )
    if created:
        audit_log(
            action="podium.customers.customer.linked",
            obj=relation,
            actor=actor,
            data={"customer": customer.pk, "source": source},
        )
    return relation


@transaction.atomic
def customer_create(
    *, house: House, actor, name: str, email: str = "", phone: str = ""
) -> Customer:
    """A new customer of the cluster, known to `house` (created at its desk).

    When a customer of the cluster already has this e-mail address, no duplicate is
    made: that customer is linked to `house` and returned unchanged, with
    `linked_existing` set to True on the returned object.
    """
    fields = _cleaned(name=name, email=email, phone=phone)
    existing = _by_email(house, fields["email"])
    if existing is None:
        try:
            with transaction.atomic():  # a concurrent twin hits the unique e-mail
                customer = Customer.objects.create(
                    cluster_id=house.cluster_id,
                    phone_digits=phone_digits(fields["phone"]),
                    **fields,
                )
        except IntegrityError:
            existing = _by_email(house, fields["email"])
            if existing is None:
                raise
    if existing is not None:
        customer_relate(
            house=house,
            actor=actor,
            customer=existing,
            source=CustomerRelation.Source.DESK,
        )
        existing.linked_existing = True
        return existing
    relation = CustomerRelation.objects.create(
        house=house, customer=customer, source=CustomerRelation.Source.DESK
    )
    audit_log(
        action="podium.customers.customer.created",
        obj=relation,
        actor=actor,
        data={"customer": customer.pk, **fields},
    )
    customer.linked_existing = False
    return customer


def customer_line_parse(line: str) -> dict[str, str]:
    """{"name", "email", "phone"} from one typed line, in any order.

    Raises a `CustomerError` on the field "line" when the name is missing or the
    line holds two e-mail addresses or two phone numbers.
    """
    found = line_split(line)
    if len(found.emails) > 1:
        raise _invalid(_("Give one e-mail address only."), "line")
    if len(found.phones) > 1:
        raise _invalid(_("Give one phone number only."), "line")
    if not found.name:
        raise _invalid(
            _("Give the customer's name, e.g. “%(example)s”."),
            "line",
            example=LINE_EXAMPLE,
        )
    return {
        "name": found.name,
        "email": found.emails[0] if found.emails else "",
        "phone": found.phones[0] if found.phones else "",
    }


def customer_from_line(*, house: House, actor, line: str) -> Customer:
    """Create (or link by e-mail) the customer typed as "name, e-mail, phone".

    Every refusal names the field "line", the one the clerk typed in.
    """
    try:
        return customer_create(house=house, actor=actor, **customer_line_parse(line))
    except CustomerError as error:
        error.field = "line"
        raise


def _related(house: House, customer: Customer) -> None:
    if not CustomerRelation.objects.filter(house=house, customer=customer).exists():
        raise NotFound(_("Customer not found."))


@transaction.atomic
def customer_update(*, house: House, actor, customer: Customer, **fields) -> Customer:
    """Change name, e-mail and/or phone of a customer `house` knows.

    The customer is shared by the cluster: an e-mail address another customer of
    the cluster already has is refused.
    """
    unknown = set(fields) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"customer_update() got unexpected fields {sorted(unknown)}")
    _related(house, customer)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    values = {name: getattr(customer, name) for name in CUSTOMER_FIELDS}
    values.update({name: value or "" for name, value in fields.items()})
    values = _cleaned(**values)
    if values["email"]:
        other = _by_email(house, values["email"])
        if other is not None and other.pk != customer.pk:
            raise CustomerError(
                _("Another customer already has this e-mail address."),
                code=CustomerErrorCode.EMAIL_TAKEN,
                field="email",
            )
    changed = {
        name: [getattr(customer, name), value]
        for name, value in values.items()
        if getattr(customer, name) != value
    }
    if not changed:
        return customer
    for name, value in values.items():
        setattr(customer, name, value)
    customer.phone_digits = phone_digits(customer.phone)
    customer.save()
    audit_log(
        action="podium.customers.customer.updated",
        obj=CustomerRelation.objects.get(house=house, customer=customer),
        actor=actor,
        data={"customer": customer.pk, "changed": changed},
    )
    return customer


@transaction.atomic
def customer_note_add(
    *, house: House, actor, customer: Customer, text: str
) -> CustomerNote:
    """A note of `house` on `customer`; other houses never see it."""
    text = text.strip()
    if not text:
        raise _invalid(_("Write the note first."), "text")
    if len(text) > NOTE_MAX:
        raise _invalid(
            _("A note can be at most %(max)s characters long."), "text", max=NOTE_MAX
        )
    _related(house, customer)
    note = CustomerNote.objects.create(
        house=house, customer=customer, text=text, author=actor_user(actor)
    )
    audit_log(
        action="podium.customers.note.added",
        obj=note,
        actor=actor,
        data={"customer": customer.pk},
    )
    return note


@transaction.atomic
def customer_for_guest(*, house: House, name: str, email: str) -> Customer:
    """The cluster's customer with `email`, or a new one (a guest at the shop who
    ticked a consent box). No relation is made here: placing the order relates the
    house (source "order"). An existing customer is returned unchanged: a guest
    proves nothing about the address, so their details are not overwritten.
    """
    fields = _cleaned(name=name, email=email, phone="")
    if not fields["email"]:
        raise _invalid(_("Enter a valid e-mail address."), "email")
    existing = _by_email(house, fields["email"])
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Customer.objects.create(cluster_id=house.cluster_id, **fields)
    except IntegrityError:  # a twin placed an order meanwhile
        return _by_email(house, fields["email"])
