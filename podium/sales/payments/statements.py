"""Bank statement parsers: CODA 2.x (Febelfin) and the CSV exports of Belgian banks.

Both yield `StatementLine`s: one movement each, credits positive, debits negative.
Reconciliation (matching credits to bank-transfer payments) lives in the payments
service; this module only reads files.
"""

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from podium.core.money import quantize

from ..errors import SalesError


class StatementError(SalesError):
    code = "statement_invalid"


@dataclass(frozen=True)
class StatementLine:
    booked_on: date
    amount: Decimal
    communication: str = ""
    structured: bool = False  # `communication` holds the 12 digits of an OGM
    counterparty_name: str = ""
    counterparty_account: str = ""
    reference: str = ""


# ---------------------------------------------------------------------------- CODA
#
# Fixed records of 128 characters (positions below are 1-based as in the Febelfin
# standard, version 2):
#   0  header          6-11 creation date DDMMYY, 128 version "2"
#   1  old balance     2 account structure, 6-42 account + currency
#   21 movement        3-6 sequence, 7-10 detail, 11-31 bank reference, 32 sign
#                      (0 credit, 1 debit), 33-47 amount (12 + 3 decimals), 48-53
#                      value date, 54-61 transaction code, 62 communication type (1 =
#                      structured), 63-115 communication (structured: 63-65 type
#                      "101" + 66-77 twelve digits), 116-121 booking date, 125
#                      globalisation code, 126 next code, 128 link code
#   22 movement (2)    11-63 communication continued, 64-98 customer reference,
#                      99-109 counterparty BIC
#   23 movement (3)    11-47 counterparty account + currency, 48-82 counterparty
#                      name, 83-125 communication continued
#   31/32/33           information records (ignored)
#   4  free message    (ignored)
#   8  new balance     42 sign, 43-57 balance, 58-63 date
#   9  trailer         17-22 record count, 23-37 debit sum, 38-52 credit sum

CODA_RECORD = 128


def _field(record: str, start: int, end: int) -> str:
    """Positions `start`..`end`, 1-based and inclusive, as in the standard."""
    return record[start - 1 : end]


def _coda_date(value: str) -> date | None:
    if not value.strip() or value == "000000":
        return None
    return datetime.strptime(value, "%d%m%y").date()


def _coda_amount(sign: str, digits: str) -> Decimal:
    if not digits.isdigit():
        raise ValueError(digits)
    amount = quantize(Decimal(int(digits)) / 1000)
    return -amount if sign == "1" else amount


@dataclass
class _Movement:
    sequence: str
    detail: str
    reference: str
    amount: Decimal
    booked_on: date
    code_type: str
    structured: bool
    communication: str
    counterparty_name: str = ""
    counterparty_account: str = ""
    free_text: list[str] = field(default_factory=list)


def parse_coda(data: bytes) -> list[StatementLine]:
    text = data.decode("latin-1")  # CODA is 8-bit; banks send ISO-8859-1
    records = [line.rstrip("\r") for line in text.split("\n") if line.strip()]
    if not records or not records[0].startswith("0"):
        raise StatementError(_("This is not a CODA file: it must start with record 0."))
    movements: list[_Movement] = []
    for number, record in enumerate(records, start=1):
        record = record.ljust(CODA_RECORD)
        if len(record) != CODA_RECORD:
            raise StatementError(
                _("CODA line %(line)s is not 128 characters long."),
                params={"line": number},
            )
        try:
            _coda_record(record, movements)
        except ValueError as error:
            raise StatementError(
                _("CODA line %(line)s cannot be read."), params={"line": number}
            ) from error
    return _coda_lines(movements)


def _coda_record(record: str, movements: list[_Movement]) -> None:
    kind = record[0]
    if kind != "2":
        return  # header, balances, information, free messages, trailer
    article = record[1]
    if article == "1":
        structured = _field(record, 62, 62) == "1"
        zone = _field(record, 63, 115)
        if structured and zone[:3] in ("101", "102"):
            communication = zone[3:15]
        else:
            communication = zone  # raw: records 22 and 23 continue it
        booked = _coda_date(_field(record, 116, 121)) or _coda_date(
            _field(record, 48, 53)
        )
        if booked is None:
            raise ValueError("no date")
        movements.append(
            _Movement(
                sequence=_field(record, 3, 6),
                detail=_field(record, 7, 10),
                reference=_field(record, 11, 31).strip(),
                amount=_coda_amount(_field(record, 32, 32), _field(record, 33, 47)),
                booked_on=booked,
                code_type=_field(record, 54, 54),
                structured=structured and len(communication) == 12,
                communication=communication,
            )
        )
    elif movements and article == "2":
        movements[-1].free_text.append(_field(record, 11, 63))
    elif movements and article == "3":
        account = _field(record, 11, 47)
        movements[-1].counterparty_account = account[:34].strip()
        movements[-1].counterparty_name = _field(record, 48, 82).strip()
        movements[-1].free_text.append(_field(record, 83, 125))


def _coda_lines(movements: list[_Movement]) -> list[StatementLine]:
    # A globalised amount (transaction type 1 or 2) is followed by its details (type
    # 5 or 6) with the same sequence number; count the details, not the total.
    detailed = {m.sequence for m in movements if m.code_type in ("5", "6")}
    lines = []
    for m in movements:
        if m.code_type in ("1", "2") and m.sequence in detailed:
            continue
        communication = m.communication
        if not m.structured:
            communication = communication + "".join(m.free_text)
            communication = re.sub(r"\s{2,}", " ", communication).strip()
        reference = (
            m.reference if m.detail in ("", "0000") else f"{m.reference}/{m.detail}"
        )
        lines.append(
            StatementLine(
                booked_on=m.booked_on,
                amount=m.amount,
                communication=communication,
                structured=m.structured,
                counterparty_name=m.counterparty_name,
                counterparty_account=m.counterparty_account,
                reference=f"coda:{reference}",
            )
        )
    return lines


# ----------------------------------------------------------------------------- CSV


@dataclass(frozen=True)
class CsvLayout:
    """Which column holds what; each entry lists the header names to look for.

    Header names match without regard to case. The first name found wins, except
    for the communication: every communication column found is read (a structured
    and a free one), joined by a space. The defaults cover the exports of the usual
    Belgian banks (Dutch, French and English headers). A house with another export
    passes its own layout.
    """

    date: tuple[str, ...] = (
        "Boekingsdatum",
        "Datum",
        "Uitvoeringsdatum",
        "Date de comptabilisation",
        "Date d'exécution",
        "Date",
        "Booking date",
    )
    amount: tuple[str, ...] = ("Bedrag", "Montant", "Amount")
    communication: tuple[str, ...] = (
        "Mededeling",
        "Mededelingen",
        "Gestructureerde mededeling",
        "Vrije mededeling",
        "Communication",
        "Communications",
        "Description",
    )
    counterparty_name: tuple[str, ...] = (
        "Naam tegenpartij",
        "Naam van de tegenpartij",
        "Tegenpartij",
        "Nom de la contrepartie",
        "Contrepartie",
        "Counterparty",
        "Counterparty name",
    )
    counterparty_account: tuple[str, ...] = (
        "Rekening tegenpartij",
        "Rekeningnummer tegenpartij",
        "Tegenrekening",
        "Compte contrepartie",
        "Counterparty account",
        "Contrepartie",  # BNP Paribas Fortis: the account; the name has its own column
    )
    reference: tuple[str, ...] = (
        "Referentie",
        "Transactiereferentie",
        "Bankreferentie",
        "Référence",
        "Numéro de séquence",
        "Volgnummer",
        "Reference",
    )
    date_formats: tuple[str, ...] = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_csv(data: bytes, layout: CsvLayout | None = None) -> list[StatementLine]:
    layout = layout or CsvLayout()
    rows = list(csv.reader(io.StringIO(_decode(data)), dialect=_dialect(data)))
    header_at, columns = _find_header(rows, layout)
    lines: list[StatementLine] = []
    seen: Counter = Counter()
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        cell = _getter(row)
        try:
            booked = _csv_date(cell(columns["date"]), layout.date_formats)
            amount = _csv_amount(cell(columns["amount"]))
        except ValueError as error:
            raise StatementError(
                _("Line %(line)s of the CSV file cannot be read."),
                params={"line": number},
            ) from error
        line = StatementLine(
            booked_on=booked,
            amount=amount,
            communication=" ".join(
                filter(None, (cell(i) for i in columns.get("communication", [])))
            ),
            counterparty_name=cell(columns.get("counterparty_name")),
            counterparty_account=cell(columns.get("counterparty_account")).replace(
                " ", ""
            ),
        )
        reference = cell(columns.get("reference"))
        if not reference:
            # No bank reference in this export: the same line keeps the same reference
            # on every import (counting identical lines, so that two transfers of the
            # same amount on the same day both count).
            key = (booked, amount, line.communication, line.counterparty_account)
            seen[key] += 1
            digest = hashlib.sha256(repr((key, seen[key])).encode()).hexdigest()[:32]
            reference = f"csv:{digest}"
        lines.append(_replace_reference(line, reference))
    return lines


def _replace_reference(line: StatementLine, reference: str) -> StatementLine:
    return StatementLine(**{**line.__dict__, "reference": reference})


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # older exports from Windows software


def _dialect(data: bytes):
    sample = data[:4096].decode("utf-8", errors="ignore")
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        return csv.excel


def _find_header(rows: list[list[str]], layout: CsvLayout) -> tuple[int, dict]:
    # Some banks put the account and period above the header: look for the first
    # row that names both a date and an amount column.
    for index, row in enumerate(rows[:20]):
        names = [cell.strip().lstrip("\ufeff").casefold() for cell in row]
        columns = {}
        for key in (
            "date",
            "amount",
            "communication",
            "counterparty_name",
            "counterparty_account",
            "reference",
        ):
            found = [
                names.index(wanted.casefold())
                for wanted in getattr(layout, key)
                if wanted.casefold() in names
            ]
            if found:
                columns[key] = found if key == "communication" else found[0]
        if "date" in columns and "amount" in columns:
            return index, columns
    raise StatementError(
        _("The CSV file has no header row with a date and an amount column.")
    )


def _getter(row: list[str]):
    def cell(index: int | None) -> str:
        if index is None or index >= len(row):
            return ""
        return row[index].strip()

    return cell


def _csv_date(value: str, formats: tuple[str, ...]) -> date:
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _csv_amount(value: str) -> Decimal:
    """`1.234,56`, `-12,50`, `+50,00`, `1234.56`, `1,234.56`, `€ 12,00`, `12,50-`.

    With both separators the rightmost one is the decimal mark; a lone comma is the
    decimal mark (Belgian notation); a lone dot followed by exactly three digits, or
    several dots, separate thousands.
    """
    text = re.sub(r"(?i)eur|€|\s|\u00a0", "", value)
    sign = ""
    if text[-1:] == "-":  # some exports write 12,50-
        sign, text = "-", text[:-1]
    elif text[:1] in "+-" and text:
        sign, text = text[0].replace("+", ""), text[1:]
    if "," in text and "." in text:
        thousands, mark = (
            (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
        )
    elif "," in text:
        thousands, mark = (".", ",") if text.count(",") == 1 else (",", "")
    elif text.count(".") > 1 or re.search(r"\.\d{3}$", text):
        thousands, mark = ".", ""
    else:
        thousands, mark = ",", "."
    whole, _sep, fraction = text.partition(mark) if mark else (text, "", "")
    grouped = re.fullmatch(rf"\d{{1,3}}(\{thousands}\d{{3}})+", whole)
    if not (whole.isdigit() or grouped) or (fraction and not fraction.isdigit()):
        raise ValueError(value)
    if _sep and not fraction:
        raise ValueError(value)
    digits = whole.replace(thousands, "") + (f".{fraction}" if fraction else "")
    try:
        return quantize(Decimal(sign + digits))
    except InvalidOperation as error:
        raise ValueError(value) from error


def parse_statement(
    data: bytes, format: str, layout: CsvLayout | None = None
) -> list[StatementLine]:
    if format == "coda":
        return parse_coda(data)
    if format == "csv":
        return parse_csv(data, layout)
    raise StatementError(
        _("Unknown statement format %(format)s."), params={"format": format}
    )
