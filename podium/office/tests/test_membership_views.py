"""The office's friends pass screens: configuring pass types, the members list,
selling a pass at the box office, and selling member tariffs at the desk."""

from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone, translation

from podium.core.models import AuditEntry
from podium.passes.models import Membership, MembershipType
from podium.passes.tests.factories import (
    member_tariff_make,
    membership_active_make,
    membership_type_make,
)
from podium.sales.models import Order, Payment, Quota
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def office(client, house, staff_factory):
    """Logged in with the ticketing role: configures, sells and reads reports."""
    client.force_login(staff_factory(house, StaffRole.Role.TICKETING, username="an"))
    return client


def _url(name, *args):
    return reverse(f"office:{name}", args=args)


def _type_data(**extra) -> dict:
    data = {
        "name_nl": "Vriendenpas",
        "name_fr": "Carte d'ami",
        "name_en": "Friends pass",
        "description_nl": "Korting en voorrang",
        "price": "40.00",
        "vat_rate": "0.00",
        "validity_months": "12",
        "early_access_days": "14",
        "max_tickets_per_performance": "2",
        "sold_online": "on",
        "is_active": "on",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def _types(house) -> list:
    with house_scope(house):
        return list(MembershipType.objects.filter(house=house).order_by("pk"))


def _memberships(house) -> list:
    with house_scope(house):
        return list(Membership.objects.filter(house=house).order_by("pk"))


def _orders(house) -> list:
    with house_scope(house):
        return list(Order.objects.filter(house=house).order_by("pk"))


def _dutch(message: str) -> str:
    with translation.override("nl"):
        return str(translation.gettext(message))


# ------------------------------------------------------------------ pass types


def test_a_pass_type_is_created_through_the_form(office, house, world):
    response = office.post(
        _url("membership-type-create"),
        _type_data(productions=[world.production.pk]),
    )

    (created,) = _types(house)
    assert response.url == _url("membership-type-list")
    assert (
        created.name,
        created.description["nl"],
        created.price,
        created.vat_rate,
        created.validity_months,
        created.early_access_days,
        created.max_tickets_per_performance,
        created.sold_online,
        created.is_active,
    ) == (
        {"nl": "Vriendenpas", "fr": "Carte d'ami", "en": "Friends pass"},
        "Korting en voorrang",
        D("40.00"),
        "0.00",
        12,
        14,
        2,
        True,
        True,
    )
    with house_scope(house):
        assert list(created.productions.values_list("pk", flat=True)) == [
            world.production.pk
        ]
        assert AuditEntry.objects.filter(
            action="podium.passes.membership_type.created", object_id=created.pk
        ).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"name_nl": "", "name_fr": "", "name_en": ""},
            "name",
            "Vul dit in, in minstens één taal.",
        ),
        ({"price": "-1"}, "price", "Zorg ervoor dat deze waarde minstens 0 is."),
        ({"price": "veertig"}, "price", "Voer een getal in."),
        (
            {"validity_months": "0"},
            "validity_months",
            "Zorg ervoor dat deze waarde minstens 1 is.",
        ),
        (
            {"validity_months": "61"},
            "validity_months",
            "Zorg ervoor dat deze waarde hoogstens 60 is.",
        ),
        (
            {"max_tickets_per_performance": "0"},
            "max_tickets_per_performance",
            "Zorg ervoor dat deze waarde minstens 1 is.",
        ),
        ({"vat_rate": "7.00"}, "vat_rate", "Selecteer een geldige keuze."),
    ],
)
def test_a_bad_pass_type_shows_dutch_errors_and_saves_nothing(
    office, house, world, overrides, field, message
):
    audit_before = AuditEntry.objects.filter(house_id=house.pk).count()

    response = office.post(_url("membership-type-create"), _type_data(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in errors[field][0]
    assert "Controleer het formulier" in response.content.decode()
    assert _types(house) == []
    assert AuditEntry.objects.filter(house_id=house.pk).count() == audit_before


def test_a_pass_type_is_edited_and_a_bad_edit_changes_nothing(office, house, world):
    with house_scope(house):
        type_ = membership_type_make(house, productions=[world.production])
    url = _url("membership-type-edit", type_.pk)

    form = office.get(url)
    refused = office.post(url, _type_data(price="-5", name_nl="Kapot"))
    saved = office.post(url, _type_data(price="45.00", is_active=None))

    assert form.context["form"].initial["productions"] == [world.production]
    assert refused.status_code == 200
    assert "price" in refused.context["form"].errors
    assert saved.url == _url("membership-type-list")
    (changed,) = _types(house)
    assert (changed.name["nl"], changed.price, changed.is_active) == (
        "Vriendenpas",
        D("45.00"),
        False,
    )
    with house_scope(house):
        assert not changed.productions.exists()  # none ticked: every production
        entry = AuditEntry.objects.get(
            action="podium.passes.membership_type.changed", object_id=type_.pk
        )
    assert entry.data["price"] == ["40.00", "45.00"]
    assert entry.data["productions"] == [[world.production.pk], []]


def test_the_type_list_shows_price_benefits_and_active_members(office, house, world):
    with house_scope(house):
        type_ = membership_type_make(
            house, productions=[world.production], early_access_days=7
        )
        membership_active_make(house, type_)
        membership_active_make(house, type_, holder_email="tom@example.be")
        ended = membership_active_make(house, type_, holder_email="old@example.be")
        Membership.objects.filter(pk=ended.pk).update(
            valid_until=timezone.localdate() - timedelta(days=1)
        )

    page = office.get(_url("membership-type-list"))

    (listed,) = page.context["types"]
    assert listed.active == 2
    content = page.content.decode()
    assert "€ 40,00" in content
    assert "Hamlet" in content


# --------------------------------------------------------------------- members


def test_members_are_found_by_number_name_or_email_and_active_only(office, house):
    with house_scope(house):
        type_ = membership_type_make(house)
        mieke = membership_active_make(house, type_)
        tom = membership_active_make(
            house, type_, holder_name="Tom Peeters", holder_email="tom@example.be"
        )
        Membership.objects.filter(pk=tom.pk).update(
            valid_until=timezone.localdate() - timedelta(days=1)
        )
    url = _url("membership-list")
    typed = mieke.number.lower().replace("-", " ")

    def found(**query):
        return [m.pk for m in office.get(url, query).context["memberships"]]

    assert found(q=typed) == [mieke.pk]
    assert found(q="peeters") == [tom.pk]
    assert found(q="mieke@") == [mieke.pk]
    assert found(active="on") == [mieke.pk]
    assert sorted(found()) == sorted([mieke.pk, tom.pk])


def test_a_pass_is_sold_at_the_desk_paid_and_active(
    office, house, django_capture_on_commit_callbacks
):
    with house_scope(house):
        type_ = membership_type_make(house, price="40.00", validity_months=12)

    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            _url("membership-sell"),
            {
                "type": type_.pk,
                "holder_name": "Mieke Maes",
                "holder_email": "mieke@example.be",
                "provider": "card_terminal",
            },
        )

    (membership,) = _memberships(house)
    today = timezone.localdate()
    until = today + relativedelta(months=12) - timedelta(days=1)
    assert (membership.state, membership.valid_from, membership.valid_until) == (
        "active",
        today,
        until,
    )
    assert response.url == _url("membership-list") + f"?q={membership.number}"
    with house_scope(house):
        order = Order.objects.get(pk=membership.order_id)
        payments = list(order.payments.values_list("provider", "amount", "state"))
    assert (order.state, order.channel, order.total) == (
        "paid",
        "box_office",
        D("40.00"),
    )
    assert payments == [("card_terminal", D("40.00"), "paid")]
    page = office.get(response.url).content.decode()
    assert membership.number in page
    assert until.strftime("%d-%m-%Y") in page or until.strftime("%d/%m/%Y") in page


def test_a_pass_sale_with_bad_input_sells_nothing(office, house):
    with house_scope(house):
        type_ = membership_type_make(house)

    response = office.post(
        _url("membership-sell"),
        {"type": type_.pk, "holder_name": "", "holder_email": "geen-adres"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["holder_name"] == ["Dit veld is verplicht."]
    assert errors["holder_email"] == ["Voer een geldig e-mailadres in."]
    assert _memberships(house) == []
    assert _orders(house) == []


def test_a_type_not_on_sale_is_not_offered_at_the_desk(office, house):
    with house_scope(house):
        type_ = membership_type_make(house, is_active=False)

    response = office.post(
        _url("membership-sell"),
        {
            "type": type_.pk,
            "holder_name": "Mieke Maes",
            "holder_email": "mieke@example.be",
            "provider": "cash",
        },
    )

    assert response.status_code == 200
    assert "type" in response.context["form"].errors
    assert _memberships(house) == []


# ------------------------------------------------- member tariffs at the desk


@pytest.fixture
def member_tariff(sales):
    with house_scope(sales.performance.house):
        return member_tariff_make(sales.category, price="15.00")


def _used(house) -> int:
    with house_scope(house):
        return sum(q.used for q in Quota.objects.filter(house=house))


def test_a_member_tariff_without_a_pass_is_refused_on_the_form(
    office, house, sales, member_tariff
):
    orders, used = len(_orders(house)), _used(house)

    response = office.post(
        _url("desk-sale", sales.performance.pk),
        {f"tariff_{member_tariff.pk}": "1", "provider": "cash"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        _dutch("This tariff is only for holders of a friends pass.")
    ]
    assert len(_orders(house)) == orders
    assert _used(house) == used


def test_an_unknown_pass_number_is_refused_on_its_field(
    office, house, sales, member_tariff
):
    orders, used = len(_orders(house)), _used(house)

    response = office.post(
        _url("desk-sale", sales.performance.pk),
        {
            f"tariff_{member_tariff.pk}": "1",
            "provider": "cash",
            "member_pass": "VP-AAAA-BBBB",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["member_pass"] == [
        _dutch("No valid friends pass has this number. Check it and try again.")
    ]
    assert len(_orders(house)) == orders
    assert _used(house) == used


def test_a_member_tariff_is_sold_with_the_pass_number(
    office, house, sales, member_tariff
):
    with house_scope(house):
        membership = membership_active_make(house, membership_type_make(house))
    typed = membership.number.lower().replace("-", "")

    response = office.post(
        _url("desk-sale", sales.performance.pk),
        {
            f"tariff_{member_tariff.pk}": "2",
            f"tariff_{sales.tariff.pk}": "1",
            "provider": "cash",
            "member_pass": typed,
        },
    )

    order = _orders(house)[-1]
    assert response.url == _url("desk-receipt", order.code)
    assert (order.state, order.total, order.member_pass) == (
        "paid",
        D("50.00"),
        membership.number,
    )
    with house_scope(house):
        assert sorted(order.tickets.values_list("tariff__kind", flat=True)) == [
            "full",
            "member",
            "member",
        ]
        assert list(order.payments.values_list("provider", flat=True)) == ["cash"]


def test_the_maximum_of_member_tickets_per_performance_is_a_form_error(
    office, house, sales, member_tariff
):
    with house_scope(house):
        type_ = membership_type_make(house, max_tickets_per_performance=2)
        membership = membership_active_make(house, type_)
    orders = len(_orders(house))

    response = office.post(
        _url("desk-sale", sales.performance.pk),
        {
            f"tariff_{member_tariff.pk}": "3",
            "provider": "cash",
            "member_pass": membership.number,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(_orders(house)) == orders
    with house_scope(house):
        assert not Payment.objects.filter(house=house, provider="cash").exists()


def test_the_report_page_shows_the_figures_per_type_and_the_vouchers(office, house):
    from podium.passes.tests.factories import voucher_active_make

    with house_scope(house):
        type_ = membership_type_make(house, name={"nl": "Goud"})
        membership_active_make(house, type_)
        voucher_active_make(house, value="50.00")

    page = office.get(_url("membership-report"))

    report = page.context["report"]
    assert [(r.type.pk, r.active, r.new) for r in report.types] == [(type_.pk, 1, 1)]
    content = page.content.decode()
    assert "Goud" in content
    assert '<dd class="vouchers-outstanding">€ 50,00</dd>' in content
