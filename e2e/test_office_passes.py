"""The office's friends passes and gift vouchers: a ticketing clerk (who may both
edit prices and sell) creates a pass type and sells a pass, sells a gift voucher and
spends it at the desk, and the desk asks for a pass number before it sells a member
tariff. Each page visited passes axe-core."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from podium.passes.memberships import membership_buy
from podium.passes.models import GiftVoucher, Membership, MembershipType
from podium.passes.order_hooks import order_paid
from podium.sales.models import Order, Tariff
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import on_sale_performance
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def clerk(house, staff_factory):
    """Ticketing holds both PRICE_EDIT and SALES_SELL, and needs no second step."""
    return staff_factory(house, StaffRole.Role.TICKETING, username="kassa")


def _log_in(page: Page) -> None:
    page.goto("/office/login/")
    page.get_by_label("Username").fill("kassa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Coming up at Huis A")).to_be_visible()


def _active_pass(house) -> Membership:
    """Mieke's friends pass, sold and paid through the services."""
    with house_scope(house):
        friends = MembershipType.objects.create(
            house=house,
            name={"nl": "Vriendenpas", "en": "Friends pass"},
            price=Decimal("25.00"),
            max_tickets_per_performance=2,
        )
        membership = membership_buy(
            house=house,
            actor=None,
            type=friends,
            holder_name="Mieke Claes",
            holder_email="mieke@example.be",
        )
        order_mark_paid(order=membership.order)
    order_paid(membership.order_id)
    with house_scope(house):
        membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE
    return membership


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=name).click()


def test_clerk_creates_a_pass_type_and_sells_a_pass(page: Page, house, clerk):
    _log_in(page)

    # A new friends pass type: € 25 for 12 months, 7 days early, 2 per performance
    _menu(page, "Friends passes")
    expect(page.get_by_role("heading", name="Friends passes")).to_be_visible()
    expect(page.get_by_text("This house sells no friends passes yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="New friends pass type").click()
    expect(page.get_by_role("heading", name="New friends pass type")).to_be_visible()
    assert_accessible(page)
    name = page.get_by_role("group", name="Name", exact=True)
    name.get_by_label("Nederlands").fill("Vriend van het huis")
    name.get_by_label("English").fill("Friend of the house")
    page.get_by_label("Price incl. VAT").fill("25")
    page.get_by_label("Valid for (months)").fill("12")
    page.get_by_label("Early access (days before the public sale)").fill("7")
    page.get_by_label("Member tickets per performance (at most)").fill("2")
    page.get_by_role("button", name="Create the friends pass type").click()

    # It is listed with its benefits
    expect(page.get_by_text("The friends pass type was created.")).to_be_visible()
    types = page.get_by_role("table", name="Friends pass types of this house")
    row = types.get_by_role("row").filter(has_text="Friend of the house")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("€ 25.00")
    expect(row).to_contain_text("12 months")
    expect(row).to_contain_text("Buys 7 days before the public sale")
    expect(row).to_contain_text("At most 2 member tickets per performance")
    assert_accessible(page)
    with house_scope(house):
        type_ = MembershipType.objects.get()
    assert (
        type_.price,
        type_.validity_months,
        type_.early_access_days,
        type_.max_tickets_per_performance,
    ) == (Decimal("25.00"), 12, 7, 2)

    # Its edit page opens from the list
    row.get_by_role("link", name="Friend of the house").click()
    expect(page.get_by_role("heading", name="Edit friends pass type")).to_be_visible()
    expect(page.get_by_label("Price incl. VAT")).to_have_value("25.00")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()

    # A pass sold at the desk to Mieke Claes, paid in cash
    page.get_by_role("link", name="Sell a friends pass").first.click()
    expect(page.get_by_role("heading", name="Sell a friends pass")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Friends pass", exact=True)).to_have_value(str(type_.pk))
    page.get_by_label("Name", exact=True).fill("Mieke Claes")
    page.get_by_label("E-mail", exact=True).fill("mieke@example.be")
    expect(page.get_by_label("Cash", exact=True)).to_be_checked()
    page.get_by_role("button", name="Sell and take payment").click()

    # The members list shows her pass, active
    expect(page.get_by_role("heading", name="Members")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Friends pass VP-\S+ was sold"))
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Number, name or e-mail").fill("Mieke")
    page.get_by_role("button", name="Search").click()
    members = page.get_by_role("table", name="Friends passes of this house")
    row = members.get_by_role("row").filter(has_text="Mieke Claes")
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_have_text(re.compile(r"^VP-"))
    expect(row).to_contain_text("Active")
    assert_accessible(page)
    with house_scope(house):
        membership = Membership.objects.get()
    assert membership.state == Membership.State.ACTIVE
    assert membership.number.startswith("VP-")
    expect(row.get_by_role("rowheader")).to_have_text(membership.number)

    # The report counts one active member
    page.goto("/office/vriendenpassen/")
    page.get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Members report")).to_be_visible()
    report = page.get_by_role("table", name="Members per friends pass type")
    active = report.get_by_role("row").filter(has_text="Friend of the house")
    expect(active.get_by_role("cell").first).to_have_text("1")
    assert_accessible(page)


def test_clerk_sells_a_gift_voucher_and_spends_it_at_the_desk(page: Page, house, clerk):
    with house_scope(house):
        performance, _tariff, _quota = on_sale_performance(
            house, size=100, price=Decimal("18.00")
        )
    _log_in(page)

    # A gift voucher of € 30, paid in cash
    _menu(page, "Gift vouchers")
    expect(page.get_by_role("heading", name="Gift vouchers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sell a gift voucher").click()
    expect(page.get_by_role("heading", name="Sell a gift voucher")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Value (EUR)").fill("30")
    page.get_by_label("Buyer's name").fill("Els Wouters")
    page.get_by_label("Buyer's e-mail").fill("els@example.be")
    page.get_by_label("For (recipient)").fill("Tom")
    expect(page.get_by_label("Cash", exact=True)).to_be_checked()
    page.get_by_role("button", name="Sell and take payment").click()

    # Its detail page, and its PDF
    with house_scope(house):
        voucher = GiftVoucher.objects.get()
    expect(
        page.get_by_role("heading", name=f"Gift voucher {voucher.code}")
    ).to_be_visible()
    expect(page.locator(".voucher-balance")).to_have_text("€ 30.00")
    expect(
        page.get_by_text("This gift voucher has not been spent yet.")
    ).to_be_visible()
    assert_accessible(page)
    # The office serves it inline (Chromium shows it), as it does tickets: the
    # suggested filename is the one in its Content-Disposition.
    with page.expect_response(lambda r: r.url.endswith("/pdf/")) as pdf:
        page.get_by_role("link", name="Download the PDF").click()
    headers = pdf.value.headers
    assert pdf.value.status == 200
    assert headers["content-type"] == "application/pdf"
    filename = re.search(r'filename="([^"]+)"', headers["content-disposition"])
    assert filename and filename.group(1).endswith(".pdf"), headers
    # (Chromium's viewer stands in for the body: fetch it with the same session.)
    assert page.request.get(pdf.value.url).body().startswith(b"%PDF")

    # The list owes € 30 on it
    page.goto("/office/cadeaubonnen/")
    expect(page.locator(".vouchers-outstanding")).to_have_text("€ 30.00")
    expect(page.get_by_role("link", name=voucher.code)).to_be_visible()
    assert_accessible(page)

    # Two tickets of € 18 at the desk: the voucher pays € 30, the rest in cash
    _menu(page, "Box office")
    page.get_by_label("Find a performance").fill(performance.production.title["en"][:5])
    page.keyboard.press("Enter")
    page.get_by_role("link", name=performance.production.title["en"]).click()
    page.get_by_label("Full price · € 18.00").fill("2")
    page.get_by_label("Gift voucher (code)").fill(voucher.code)
    expect(page.get_by_label("Cash", exact=True)).to_be_checked()
    page.get_by_label("Cash received").fill("10")
    assert_accessible(page)
    page.get_by_role("button", name="Sell").click()
    expect(page.get_by_role("heading", name="Sold: order")).to_be_visible()
    expect(page.get_by_text("€ 4.00")).to_be_visible()  # change: 10 - (36 - 30)
    assert_accessible(page)

    with house_scope(house):
        order = Order.objects.filter(tickets__isnull=False).distinct().get()
        voucher.refresh_from_db()
        payments = sorted((p.provider, p.amount, p.state) for p in order.payments.all())
        tickets = order.tickets.count()
    assert (order.state, tickets, order.total) == ("paid", 2, Decimal("36.00"))
    assert voucher.balance == Decimal("0.00")
    assert payments == [
        ("cash", Decimal("6.00"), "paid"),
        ("voucher", Decimal("30.00"), "paid"),
    ]

    # The voucher's page lists the use with the order's code
    page.goto(f"/office/cadeaubonnen/{voucher.pk}/")
    expect(page.locator(".voucher-balance")).to_have_text("€ 0.00")
    uses = page.get_by_role("table", name="Orders paid with this gift voucher")
    use = uses.get_by_role("row").filter(has_text=order.code)
    expect(use).to_have_count(1)
    expect(use).to_contain_text("€ 30.00")
    expect(use.get_by_role("link", name=order.code)).to_be_visible()
    assert_accessible(page)


def test_desk_asks_a_pass_number_for_the_member_tariff(page: Page, house, clerk):
    with house_scope(house):
        performance, full, _quota = on_sale_performance(
            house, size=100, price=Decimal("20.00")
        )
        member = Tariff.objects.create(
            house=house,
            production=performance.production,
            category=full.category,
            kind=Tariff.Kind.MEMBER,
            name={"nl": "Vriendentarief", "en": "Friends tariff"},
            price=Decimal("16.00"),
        )
    membership = _active_pass(house)
    with house_scope(house):
        orders = Order.objects.count()  # the pass's own order
    _log_in(page)

    # Without a pass number the member tariff is refused, and nothing is sold
    page.goto(f"/office/desk/{performance.pk}/")
    assert_accessible(page)
    page.get_by_label("Friends tariff · € 16.00").fill("1")
    page.get_by_role("button", name="Sell").click()
    summary = page.get_by_role("alert").filter(has_text="Please check the form")
    expect(summary).to_contain_text(
        "This tariff is only for holders of a friends pass."
    )
    assert_accessible(page)
    with house_scope(house):
        assert Order.objects.count() == orders
        assert not Order.objects.filter(tickets__isnull=False).exists()

    # With her pass number it is sold at the member price
    page.get_by_label("Friends tariff · € 16.00").fill("1")
    page.get_by_label("Friends pass (number)").fill(membership.number)
    page.get_by_role("button", name="Sell").click()
    expect(page.get_by_role("heading", name="Sold: order")).to_be_visible()
    assert_accessible(page)
    with house_scope(house):
        order = Order.objects.filter(tickets__isnull=False).distinct().get()
        prices = [(t.tariff_id, t.price) for t in order.tickets.all()]
    assert (order.state, order.member_pass) == ("paid", membership.number)
    assert prices == [(member.pk, Decimal("16.00"))]


def test_the_members_report_passes_axe(page: Page, house, clerk):
    _active_pass(house)
    _log_in(page)
    page.goto("/office/vriendenpassen/report/")
    report = page.get_by_role("table", name="Members per friends pass type")
    expect(report.get_by_role("row").filter(has_text="Friends pass")).to_have_count(2)
    assert_accessible(page)
