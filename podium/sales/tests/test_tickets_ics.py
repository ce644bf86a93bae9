"""Calendar files: RFC 5545 structure, folding, escaping and UTC times across DST."""

from datetime import UTC, datetime

import pytest
import time_machine

from podium.sales.tickets.ics import escape_text, fold, order_calendars

from .test_tickets_support import brussels, make_order, make_performance


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    lines: list[str] = []
    for line in physical:
        assert "\n" not in line and "\r" not in line
        assert len(line.encode("utf-8")) <= 75
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


def properties(text: str) -> dict[str, str]:
    found = {}
    for line in unfold(text):
        name, _sep, value = line.partition(":")
        found.setdefault(name, value)
    return found


def test_one_calendar_per_performance_with_the_required_properties(scoped, house):
    shows = [
        make_performance(house, starts_at=brussels(2026, 5, 2, 20, 0)),
        make_performance(house, starts_at=brussels(2026, 5, 9, 15, 0)),
    ]
    order = make_order(house, performances=shows, tickets=1)

    with time_machine.travel(datetime(2026, 4, 1, 10, 0, tzinfo=UTC), tick=False):
        calendars = order_calendars(order)

    assert [name for name, _text in calendars] == [
        "de-storm-2026-05-02.ics",
        "de-storm-2026-05-09.ics",
    ]
    lines = unfold(calendars[0][1])
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Podium//Podium tickets//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert lines[-2:] == ["END:VEVENT", "END:VCALENDAR"]
    assert lines.count("BEGIN:VEVENT") == 1
    props = properties(calendars[0][1])
    assert (
        props["UID"] == f"order-{order.code.lower()}-performance-{shows[0].pk}@podium"
    )
    assert props["DTSTAMP"] == "20260401T100000Z"
    assert (props["DTSTART"], props["DTEND"]) == (
        "20260502T180000Z",
        "20260502T193000Z",
    )
    assert props["SUMMARY"] == "De Storm"
    assert unescape(props["LOCATION"]).startswith("Grote zaal, ")
    assert order.code in unescape(props["DESCRIPTION"])
    assert props["STATUS"] == "CONFIRMED"


@pytest.mark.parametrize(
    ("local", "utc_start"),
    [
        (brussels(2026, 3, 28, 20, 0), "20260328T190000Z"),  # winter time, UTC+1
        (brussels(2026, 3, 29, 20, 0), "20260329T180000Z"),  # summer time, UTC+2
        (brussels(2026, 10, 24, 20, 0), "20261024T180000Z"),  # still summer time
        (brussels(2026, 10, 25, 20, 0), "20261025T190000Z"),  # winter time again
        (brussels(2026, 3, 29, 1, 30), "20260329T003000Z"),  # just before the jump
    ],
)
def test_times_are_utc_on_both_sides_of_a_dst_switch(scoped, house, local, utc_start):
    order = make_order(house, performances=[make_performance(house, starts_at=local)])

    ((_name, text),) = order_calendars(order)

    assert properties(text)["DTSTART"] == utc_start


def test_text_is_escaped_and_long_lines_are_folded_at_75_octets(scoped, house):
    title = "Hamlet; or, the prince\\of Denmark\n" + "Café é è ç ë " * 12
    show = make_performance(house, title={"nl": title})
    order = make_order(house, performances=[show], tickets=1)

    ((_name, text),) = order_calendars(order)

    raw_lines = text.split("\r\n")
    assert any(line.startswith(" ") for line in raw_lines)
    summary = properties(text)["SUMMARY"]
    assert summary.startswith("Hamlet\\; or\\, the prince\\\\of Denmark\\nCafé")
    assert unescape(summary) == title


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "ë" * 100
    folded = fold(line)

    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
        physical.encode("utf-8").decode("utf-8")
    assert folded.replace("\r\n ", "") == line
    assert len(folded.split("\r\n")[0].encode()) in (74, 75)


def test_escape_text_handles_every_special_character():
    assert escape_text("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_only_performances_with_valid_tickets_get_a_calendar(scoped, house):
    order = make_order(house, tickets=1)
    order.tickets.update(state="cancelled")

    assert order_calendars(order) == []
