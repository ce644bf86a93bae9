"""Garbage into the main office forms: a 200 with the form again, a clear Dutch
message on the page, and nothing of the house created or changed.

(The desk sale and the plan generator have their own bad-input tables in
test_desk_views.py and test_plan_views.py.)
"""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from podium.customers.tests.factories import customer_make

from .helpers import month_after, production_data, series_data, tariff_data
from .test_permission_matrix import _house_state

LONG = "x" * 5000


def _series(world, **overrides):
    first, last = month_after()
    return series_data(world.hall, first, last, **overrides)


# (case id, URL name, which object's pk, data builder, a fragment of the message)
CASES = [
    ("production empty", "production-create", None, lambda w, s: {}, "verplicht"),
    (
        "production title too long",
        "production-create",
        None,
        lambda w, s: production_data(w.discipline, title_nl=LONG),
        "niet meer dan 200 tekens",
    ),
    (
        "production negative duration",
        "production-create",
        None,
        lambda w, s: production_data(w.discipline, duration_minutes="-5"),
        "minstens",
    ),
    (
        "production duration not a number",
        "production-create",
        None,
        lambda w, s: production_data(w.discipline, duration_minutes="lang"),
        "geheel getal",
    ),
    (
        "production unknown event type",
        "production-edit",
        "production",
        lambda w, s: production_data(w.discipline, event_type="nope"),
        "geldige keuze",
    ),
    (
        "production edit without title",
        "production-edit",
        "production",
        lambda w, s: production_data(w.discipline, title_nl="", title_en=""),
        "minstens één taal",
    ),
    (
        "series impossible date",
        "series-create",
        "production",
        lambda w, s: _series(w, first_date="2027-13-45"),
        "geldige datum",
    ),
    (
        "series ends before it starts",
        "series-create",
        "production",
        lambda w, s: _series(w, last_date="2000-01-01"),
        "",
    ),
    (
        "series without weekdays",
        "series-create",
        "production",
        lambda w, s: _series(w, weekdays=()),
        "verplicht",
    ),
    (
        "series bad time",
        "series-create",
        "production",
        lambda w, s: _series(w, start_time="25:99"),
        "geldige tijd",
    ),
    (
        "tariff negative price",
        "tariff-create",
        "sales-production",
        lambda w, s: tariff_data(s.category, price="-3"),
        "",
    ),
    (
        "tariff price not a number",
        "tariff-create",
        "sales-production",
        lambda w, s: tariff_data(s.category, price="twintig"),
        "getal",
    ),
    (
        "tariff edit huge price",
        "tariff-edit",
        "tariff",
        lambda w, s: tariff_data(s.category, price="1e12"),
        "",
    ),
    (
        "price category empty",
        "price-category-create",
        "sales-production",
        lambda w, s: {"name_nl": "", "position": "abc"},
        "",
    ),
    (
        "quota negative size",
        "quota-create",
        "sales-performance",
        lambda w, s: {"name": "Balkon", "size": "-1"},
        "minstens 0",
    ),
    (
        "quota size not a number",
        "quota-edit",
        "quota",
        lambda w, s: {"name": "Zaal", "size": "veel"},
        "geheel getal",
    ),
    (
        "quota without name",
        "quota-edit",
        "quota",
        lambda w, s: {"name": "", "size": "10"},
        "verplicht",
    ),
    (
        "register close not an amount",
        "register-close",
        None,
        lambda w, s: {"counted_cash": "veel"},
        "getal",
    ),
    (
        "register close empty",
        "register-close",
        None,
        lambda w, s: {},
        "verplicht",
    ),
    (
        "performance cancel without reason",
        "performance-cancel",
        "sales-performance",
        lambda w, s: {"reason": ""},
        "verplicht",
    ),
    (
        "reservation without a name",
        "desk-sale",
        "sales-performance",
        lambda w, s: {f"tariff_{s.tariff.pk}": "1", "action": "reserve"},
        "",
    ),
    (
        "desk sale negative count",
        "desk-sale",
        "sales-performance",
        lambda w, s: {f"tariff_{s.tariff.pk}": "-2", "provider": "cash"},
        "",
    ),
    (
        "desk sale unknown payment",
        "desk-sale",
        "sales-performance",
        lambda w, s: {f"tariff_{s.tariff.pk}": "1", "provider": "bitcoin"},
        "geldige keuze",
    ),
    (
        "refund without tickets",
        "order-refund",
        "paid",
        lambda w, s: {"tickets": ["abc"]},
        "",
    ),
    (
        "exchange without tickets",
        "order-exchange",
        "paid",
        lambda w, s: {"performance": s.performance.pk, "action": "confirm"},
        "verplicht",
    ),
    (
        "customer create empty",
        "customer-create",
        None,
        lambda w, s: {"line": ""},
        "verplicht",
    ),
    (
        "customer create too long",
        "customer-create",
        None,
        lambda w, s: {"line": LONG},
        "",
    ),
    (
        "customer edit bad e-mail",
        "customer-edit",
        "customer",
        lambda w, s: {"name": "Hilde", "email": "geen-adres", "phone": ""},
        "e-mailadres",
    ),
    (
        "plan import garbage",
        "hall-plan-import",
        "hall",
        lambda w, s: {
            "file": SimpleUploadedFile("zaal.csv", b"\x00\xffgarbage", "text/csv")
        },
        "",
    ),
    (
        "plan generate not numbers",
        "hall-plan-generate",
        "hall",
        lambda w, s: {
            "stalls_name_nl": "Zaal",
            "stalls_rows": "veel",
            "stalls_seats_per_row": "-3",
            "stalls_shape": "straight",
            "stalls_numbering": "continuous",
        },
        "geheel getal",
    ),
]


@pytest.fixture
def admin(client, world, staff_factory):
    client.force_login(staff_factory(world.house, "house_admin"))
    return client


@pytest.fixture
def customer(world):
    return customer_make(world.house, name="Hilde Hamers", email="hilde@example.be")


def _pk(which, world, sales, customer):
    objects = {
        None: None,
        "production": world.production,
        "sales-production": sales.performance.production,
        "sales-performance": sales.performance,
        "tariff": sales.tariff,
        "quota": sales.quota,
        "paid": sales.paid,
        "customer": customer,
        "hall": sales.performance.hall,
    }
    obj = objects[which]
    if obj is None:
        return []
    return [obj.code if which == "paid" else obj.pk]


def _messages(response) -> list[str]:
    """The form errors (and flash messages) the page was rendered with."""
    found = []
    for context in response.context or []:
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            for item in value.values() if isinstance(value, dict) else []:
                errors = getattr(item, "errors", None)
                if isinstance(errors, dict):
                    found += [str(e) for msgs in errors.values() for e in msgs]
    found += [str(m) for m in response.context.get("messages", [])]
    return list(dict.fromkeys(found))


def _param(case):
    if hasattr(case, "marks"):  # a pytest.param already
        return pytest.param(*case.values[1:], id=case.values[0], marks=case.marks)
    return pytest.param(*case[1:], id=case[0])


@pytest.mark.parametrize(
    ("name", "which", "data", "fragment"), [_param(case) for case in CASES]
)
def test_bad_input_is_answered_with_a_clear_message_and_changes_nothing(
    admin, world, sales, customer, name, which, data, fragment
):
    url = reverse(f"office:{name}", args=_pk(which, world, sales, customer))
    before = _house_state(world.house)

    response = admin.post(url, data(world, sales))

    assert response.status_code == 200, response.get("Location")
    page = html.unescape(response.content.decode())
    messages = _messages(response)
    assert messages, "no message on the page"
    assert any(message in page for message in messages)
    assert fragment.lower() in " ".join(messages).lower()
    assert _house_state(world.house) == before
