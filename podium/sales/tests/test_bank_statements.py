"""Bank statements: CODA and CSV parsing, and reconciliation with bank transfers."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from podium.core.models import AuditEntry
from podium.sales.models import BankTransaction, Order, Payment, SalesSettings
from podium.sales.payments.ogm import ogm_parse
from podium.sales.payments.statements import (
    CsvLayout,
    StatementError,
    StatementLine,
    _csv_amount,
    parse_coda,
    parse_csv,
)
from podium.sales.services.orders import order_expire
from podium.sales.services.payments import (
    LineOutcome,
    bank_statement_import,
    payment_start,
)
from podium.sales.tests.factories import buy, on_sale_performance
from podium.tenancy.scoping import house_scope

DATA = Path(__file__).parent / "data"
CODA = (DATA / "coda_kbc_045.cod").read_bytes()
# The structured communications in the CODA file, in its order.
CODA_OGMS = (b"123456789002", b"090933755493", b"555555555559")


def test_coda_file_is_made_of_128_character_records():
    lines = CODA.decode("latin-1").split("\r\n")
    assert lines[-1] == ""
    assert {len(line) for line in lines[:-1]} == {128}
    assert [line[:2] for line in lines[:-1]][:3] == ["00", "12", "21"]


def test_parse_coda_reads_every_movement():
    assert parse_coda(CODA) == [
        StatementLine(
            booked_on=date(2025, 3, 3),
            amount=Decimal("45.00"),
            communication="123456789002",
            structured=True,
            counterparty_name="JANSSENS PIETER",
            counterparty_account="BE71096123456769",
            reference="coda:EBKBBE0103QKSA0001OK",
        ),
        StatementLine(
            booked_on=date(2025, 3, 3),
            amount=Decimal("20.00"),
            communication="090933755493",
            structured=True,
            counterparty_name="DUPONT MARIE",
            counterparty_account="BE62510007547061",
            reference="coda:EBKBBE0103QKSA0002OK",
        ),
        StatementLine(
            booked_on=date(2025, 3, 3),
            amount=Decimal("12.50"),
            # record 2.1 continued in record 2.2, joined without losing a letter
            communication="Lidgeld seizoen 2025-2026 familie Peeters, "
            "2 volwassenen en 1 kind",
            structured=False,
            counterparty_name="PEETERS-VERMEULEN",
            counterparty_account="BE43068999999501",
            reference="coda:EBKBBE0103QKSA0003OK",
        ),
        StatementLine(
            booked_on=date(2025, 3, 3),
            amount=Decimal("-250.00"),
            communication="Factuur 2025-017 geluidstechniek",
            structured=False,
            counterparty_name="SOUNDWORKS BV",
            counterparty_account="BE14001234567890",
            reference="coda:EBKBBE0103QKSA0004OK",
        ),
        # the globalised total of 60.00 is left out for its two details
        StatementLine(
            booked_on=date(2025, 3, 3),
            amount=Decimal("30.00"),
            communication="555555555559",
            structured=True,
            counterparty_name="VAN DEN BROECK KOEN",
            counterparty_account="BE09001234567857",
            reference="coda:EBKBBE0103QKSA0005OK/0001",
        ),
        StatementLine(
            booked_on=date(2025, 3, 3),
            amount=Decimal("30.00"),
            communication="444444444486",
            structured=True,
            counterparty_name="HÉLÈNE DUBOIS",
            counterparty_account="BE55733044445544",
            reference="coda:EBKBBE0103QKSA0005OK/0002",
        ),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "must start with record 0"),
        (b"1" + b" " * 127, "must start with record 0"),
        (CODA.replace(b"\r\n12045", b"\r\n12045X", 1), "line 2 is not 128"),
        (CODA.replace(b"0000000000045000", b"00000000000450X0", 1), "line 3 cannot"),
    ],
)
def test_parse_coda_refuses_broken_files(data, message):
    with pytest.raises(StatementError) as error:
        parse_coda(data)
    assert message in str(error.value)


def test_parse_csv_kbc_export_utf8_with_bom_and_semicolons():
    lines = parse_csv((DATA / "csv_kbc.csv").read_bytes())

    assert [(line.booked_on, line.amount) for line in lines] == [
        (date(2025, 3, 3), Decimal("45.00")),
        (date(2025, 3, 3), Decimal("1234.50")),
        (date(2025, 3, 4), Decimal("-250.00")),
        (date(2025, 3, 4), Decimal("12.50")),
        (date(2025, 3, 4), Decimal("12.50")),
    ]
    assert [line.communication for line in lines] == [
        "123456789002",
        "bestelling +++090/9337/55493+++ bedankt",
        "Factuur 2025-017",
        "Lidgeld 2025",
        "Lidgeld 2025",
    ]
    assert lines[1].counterparty_name == "Hélène Dubois"
    assert lines[3].counterparty_account == "BE43068999999501"
    # No reference column: a stable reference per line, distinct for twin lines.
    references = [line.reference for line in lines]
    assert len(set(references)) == 5
    assert all(reference.startswith("csv:") for reference in references)
    assert references == [
        line.reference for line in parse_csv((DATA / "csv_kbc.csv").read_bytes())
    ]


def test_parse_csv_bnp_export_in_windows_1252():
    lines = parse_csv((DATA / "csv_bnp.csv").read_bytes())

    assert lines == [
        StatementLine(
            booked_on=date(2025, 3, 5),
            amount=Decimal("30.00"),
            communication="***555/5555/55559***",
            counterparty_name="Van den Broeck Koen",
            counterparty_account="BE09001234567857",
            reference="2025-00112",
        ),
        StatementLine(
            booked_on=date(2025, 3, 5),
            amount=Decimal("-1200.00"),
            communication="Facture 2025-018",
            counterparty_name="SOUNDWORKS BV",
            counterparty_account="BE14001234567890",
            reference="2025-00113",
        ),
    ]


def test_parse_csv_with_a_configured_layout_and_a_preamble():
    data = (
        b"Account,BE68 5390 0754 7034\n"
        b"\n"
        b"When,What,Sum,Who,Id\n"
        b'2025-03-06,+++123/4567/89002+++,"1,234.00",Jan,TX-1\n'
    )
    layout = CsvLayout(
        date=("When",),
        amount=("Sum",),
        communication=("What",),
        counterparty_name=("Who",),
        reference=("Id",),
    )

    lines = parse_csv(data, layout)

    assert lines == [
        StatementLine(
            booked_on=date(2025, 3, 6),
            amount=Decimal("1234.00"),
            communication="+++123/4567/89002+++",
            counterparty_name="Jan",
            reference="TX-1",
        )
    ]


def test_parse_csv_without_date_and_amount_columns_is_refused():
    with pytest.raises(StatementError):
        parse_csv(b"foo;bar\n1;2\n")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.234,56", "1234.56"),
        ("-12,50", "-12.50"),
        ("+50,00", "50.00"),
        ("1234.56", "1234.56"),
        ("1.234", "1234.00"),
        ("1.234.567,89", "1234567.89"),
        ("€ 12,00", "12.00"),
        ("12,00 EUR", "12.00"),
        ("12,50-", "-12.50"),
        ("0,005", "0.01"),
        ("1,234.56", "1234.56"),
        ("1,234,567", "1234567.00"),
        ("-0,01", "-0.01"),
    ],
)
def test_csv_amounts_in_belgian_notation(text, amount):
    assert _csv_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    "text", ["", "twaalf", "1,2,3", "12..5", "12,", "1.2.3", "--5"]
)
def test_csv_amounts_that_are_not_amounts(text):
    with pytest.raises(ValueError):
        _csv_amount(text)


# ------------------------------------------------------------------ reconciliation


@pytest.fixture
def bank_house(house):
    SalesSettings.objects.create(house=house, bank_account_iban="BE68539007547034")
    return house


def _waiting(house, price, quantity=1):
    performance, tariff, _quota = on_sale_performance(house, price=Decimal(price))
    order = buy(house, performance, tariff, quantity=quantity)
    payment = payment_start(
        house=house, actor=None, order=order, provider="bank_transfer"
    )
    return order, payment


def _digits(payment) -> bytes:
    return ogm_parse(payment.structured_communication).encode()


def _coda_for(*payments) -> bytes:
    data = CODA
    for original, payment in zip(CODA_OGMS, payments, strict=True):
        data = data.replace(original, _digits(payment))
    return data


def _snapshot():
    return (
        sorted(Order.objects.values_list("code", "state")),
        sorted(Payment.objects.values_list("pk", "state", "data")),
        BankTransaction.objects.count(),
        AuditEntry.objects.count(),
    )


def test_import_matches_exact_amounts_and_reports_the_rest(bank_house, scoped):
    exact_order, exact = _waiting(bank_house, "22.50", quantity=2)  # 45.00
    partial_order, partial = _waiting(bank_house, "22.50")  # 22.50, 20.00 arrives
    over_order, over = _waiting(bank_house, "25.00")  # 25.00, 30.00 arrives

    result = bank_statement_import(
        house=bank_house,
        actor=None,
        file_bytes=_coda_for(exact, partial, over),
        format="coda",
    )

    assert [(line.outcome, line.order_code, line.amount) for line in result.lines] == [
        (LineOutcome.MATCHED, exact_order.code, Decimal("45.00")),
        (LineOutcome.PARTIAL, partial_order.code, Decimal("20.00")),
        (LineOutcome.NO_COMMUNICATION, "", Decimal("12.50")),
        (LineOutcome.DEBIT, "", Decimal("-250.00")),
        (LineOutcome.OVERPAID, over_order.code, Decimal("30.00")),
        (LineOutcome.UNKNOWN_COMMUNICATION, "", Decimal("30.00")),
    ]
    assert result.imported == 5
    assert [line.expected for line in result.to_check] == [
        Decimal("22.50"),
        None,
        Decimal("25.00"),
        None,
    ]
    states = dict(Order.objects.values_list("code", "state"))
    assert states == {
        exact_order.code: Order.State.PAID,
        partial_order.code: Order.State.PENDING,
        over_order.code: Order.State.PENDING,
    }
    assert dict(Payment.objects.values_list("pk", "state")) == {
        exact.pk: Payment.State.PAID,
        partial.pk: Payment.State.PENDING,
        over.pk: Payment.State.PENDING,
    }
    stored = BankTransaction.objects.order_by("bank_reference")
    assert [(t.bank_reference, t.payment_id, t.note) for t in stored] == [
        ("coda:EBKBBE0103QKSA0001OK", exact.pk, "matched"),
        ("coda:EBKBBE0103QKSA0002OK", partial.pk, "partial"),
        ("coda:EBKBBE0103QKSA0003OK", None, "no_communication"),
        ("coda:EBKBBE0103QKSA0005OK/0001", over.pk, "overpaid"),
        ("coda:EBKBBE0103QKSA0005OK/0002", None, "unknown_communication"),
    ]
    assert stored[0].counterparty_name == "JANSSENS PIETER"


def test_importing_the_same_statement_twice_changes_nothing(bank_house, scoped):
    _order, exact = _waiting(bank_house, "22.50", quantity=2)
    _order2, partial = _waiting(bank_house, "22.50")
    _order3, over = _waiting(bank_house, "25.00")
    data = _coda_for(exact, partial, over)
    bank_statement_import(house=bank_house, actor=None, file_bytes=data, format="coda")
    before = _snapshot()

    again = bank_statement_import(
        house=bank_house, actor=None, file_bytes=data, format="coda"
    )

    assert [line.outcome for line in again.lines] == [
        LineOutcome.ALREADY_IMPORTED,
        LineOutcome.ALREADY_IMPORTED,
        LineOutcome.ALREADY_IMPORTED,
        LineOutcome.DEBIT,
        LineOutcome.ALREADY_IMPORTED,
        LineOutcome.ALREADY_IMPORTED,
    ]
    assert again.imported == 0
    assert again.duplicates == 5
    assert _snapshot() == before


def _csv(*rows: tuple[str, str, str]) -> bytes:
    lines = ["Datum;Bedrag;Mededeling;Naam tegenpartij;Referentie"]
    lines += [
        f"07/03/2025;{amount};{comm};Jan Peeters;{ref}" for ref, amount, comm in rows
    ]
    return "\n".join(lines).encode()


def test_a_second_transfer_for_a_paid_order_is_reported(bank_house, scoped):
    order, payment = _waiting(bank_house, "20.00")
    communication = payment.structured_communication
    bank_statement_import(
        house=bank_house,
        actor=None,
        file_bytes=_csv(("R1", "20,00", communication)),
        format="csv",
    )

    result = bank_statement_import(
        house=bank_house,
        actor=None,
        file_bytes=_csv(("R2", "20,00", communication)),
        format="csv",
    )

    assert [(line.outcome, line.order_code) for line in result.lines] == [
        (LineOutcome.ALREADY_PAID, order.code)
    ]
    order.refresh_from_db()
    assert order.state == Order.State.PAID
    assert BankTransaction.objects.get(bank_reference="R2").payment_id == payment.pk


def test_money_for_an_expired_order_is_kept_and_flagged(bank_house, scoped):
    order, payment = _waiting(bank_house, "20.00")
    with house_scope(bank_house):
        order_expire(order=Order.objects.get(pk=order.pk))

    result = bank_statement_import(
        house=bank_house,
        actor=None,
        file_bytes=_csv(("R1", "20,00", payment.structured_communication)),
        format="csv",
    )

    assert [line.outcome for line in result.lines] == [LineOutcome.ORDER_CLOSED]
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.state, payment.data["refund_due"]) == (Payment.State.PAID, True)
    assert order.state == Order.State.EXPIRED
    assert (
        AuditEntry.objects.filter(
            action="podium.sales.payment.paid_refund_due", object_id=str(payment.pk)
        ).count()
        == 1
    )


def test_another_houses_communication_is_unknown_here(bank_house, other_house):
    SalesSettings.objects.create(
        house=other_house, bank_account_iban="BE62510007547061"
    )
    with house_scope(other_house):
        other_order, other_payment = _waiting(other_house, "20.00")

    with house_scope(bank_house):
        result = bank_statement_import(
            house=bank_house,
            actor=None,
            file_bytes=_csv(("R1", "20,00", other_payment.structured_communication)),
            format="csv",
        )
        assert [line.outcome for line in result.lines] == [
            LineOutcome.UNKNOWN_COMMUNICATION
        ]
    with house_scope(other_house):
        other_payment.refresh_from_db()
        other_order.refresh_from_db()
        assert other_payment.state == Payment.State.PENDING
        assert other_order.state == Order.State.PENDING
        assert BankTransaction.objects.count() == 0


def test_unknown_format_is_refused(bank_house, scoped):
    with pytest.raises(StatementError):
        bank_statement_import(
            house=bank_house, actor=None, file_bytes=b"x", format="mt940"
        )
    assert BankTransaction.objects.count() == 0
