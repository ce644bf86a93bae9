"""The office's hall screens: halls, a hall's seat plan and its versions, exports,
generating and importing a new version."""

import json
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from podium.core.models import AuditEntry
from podium.seating.models import Seat, SeatPlan
from podium.seating.plans import (
    PlanSpec,
    generate_section,
    plan_copy_with_changes,
    plan_create,
    plan_to_spec,
)
from podium.seating.tests.factories import seat_plan_make
from podium.tenancy.models import Hall, StaffRole
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import HallFactory

Role = StaffRole.Role
HALL_URLS = [
    "hall-plan",
    "hall-plan-export-json",
    "hall-plan-export-csv",
    "hall-plan-generate",
    "hall-plan-import",
]
SEAT_FIELDS = ("row", "number", "row_order", "order", "x", "y", "zone", "wheelchair")


@pytest.fixture
def english(client):
    # Requests get Dutch first; these tests read the English source texts.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def viewer(english, world, staff_factory):
    """A programmer: may see halls and plans (VENUE_VIEW), not change them."""
    english.force_login(staff_factory(world.house, Role.PROGRAMMER))
    return english


@pytest.fixture
def manager(english, world, staff_factory):
    """A production officer: may change seat plans (VENUE_MANAGE)."""
    user = staff_factory(world.house, Role.PRODUCTION)
    english.force_login(user)
    english.user = user
    return english


@pytest.fixture
def plan(world):
    """Version 1 of the hall's plan: rows A–C of 6 seats; row A rank 1, B–C rank 2."""
    return seat_plan_make(house=world.house, hall=world.hall)


@pytest.fixture
def elsewhere(other_house):
    """A hall of house B, with plan version 1."""
    hall = HallFactory(house=other_house, name="Elders")
    seat_plan_make(house=other_house, hall=hall)
    return hall


def _url(name: str, hall) -> str:
    return reverse(f"office:{name}", kwargs={"pk": hall.pk})


def _versions(hall) -> list[tuple[int, int, str]]:
    """(version, seats, note) of every plan version of `hall`."""
    with house_scope(hall.house):
        return [
            (plan.version, plan.seats.count(), plan.note)
            for plan in SeatPlan.objects.filter(hall=hall).order_by("version")
        ]


def _seats(plan) -> list[tuple]:
    with house_scope(plan.house):
        return list(
            Seat.objects.filter(plan=plan)
            .order_by("section__position", "row_order", "order")
            .values_list("section__position", *SEAT_FIELDS)
        )


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _csv(*lines: str) -> SimpleUploadedFile:
    header = (
        "section,row,number,row_order,order,x,y,zone,wheelchair,companion,"
        "restricted_view,blocked,kept"
    )
    text = "\n".join([header, *lines]) + "\n"
    return SimpleUploadedFile("zaal.csv", text.encode(), content_type="text/csv")


def _generate_data(**overrides) -> dict:
    """The generate form as a browser posts it: 10 rows of 20 seats, no balcony."""
    data = {
        "stalls_name_nl": "Zaal",
        "stalls_name_fr": "Salle",
        "stalls_name_en": "Stalls",
        "stalls_rows": "10",
        "stalls_seats_per_row": "20",
        "stalls_shape": "straight",
        "stalls_numbering": "continuous",
        "stalls_zone_rows": "",
        "stalls_aisle_after": "",
        "balcony_name_nl": "Balkon",
        "balcony_rows": "",
        "balcony_seats_per_row": "",
        "note": "",
    }
    data.update(overrides)
    return data


# --- Reading ---------------------------------------------------------------------------


@pytest.fixture
def more_halls(world, plan):
    """Version 2 (24 seats) of the hall's plan; a standing foyer and a studio
    without a plan in the same venue."""
    seat_plan_make(house=world.house, hall=world.hall, rows=4)
    venue = world.hall.venue
    HallFactory(
        house=world.house,
        venue=venue,
        name="Foyer",
        kind=Hall.Kind.STANDING,
        capacity=80,
    )
    HallFactory(house=world.house, venue=venue, name="Studio", capacity=60)


def test_the_hall_list_shows_each_hall_with_its_current_plan(
    viewer, world, more_halls, elsewhere
):
    response = viewer.get(reverse("office:hall-list"))

    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S)
    cells = [re.sub(r"<[^>]+>", "|", row).split("|") for row in rows]
    assert [[c.strip() for c in row if c.strip()] for row in cells] == [
        ["Foyer", world.hall.venue.name, "Standing", "80", "None (standing)"],
        ["Grote zaal", world.hall.venue.name, "Seated", "400", "Version 2", "24"],
        ["Studio", world.hall.venue.name, "Seated", "60", "None yet"],
    ]
    assert f'href="{_url("hall-plan", world.hall)}"' in html
    assert f'<a href="{reverse("office:hall-list")}">Halls</a>' in html  # the nav


def test_the_plan_page_draws_the_current_version_without_choosing(viewer, world, plan):
    response = viewer.get(_url("hall-plan", world.hall))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Seat plan of Grote zaal, version 1"' in html
    assert html.count('role="checkbox"') == 18
    assert html.count('aria-disabled="true"') == 18
    assert 'tabindex="0"' not in html
    assert "Rank 1: 6 seats" in html and "Rank 2: 12 seats" in html
    assert response.context["counts"] == {
        "seats": 18,
        "wheelchair": 0,
        "sections": 1,
        "not_for_sale": 0,
    }
    assert [(v.version, v.seat_count) for v in response.context["versions"]] == [
        (1, 18)
    ]
    assert _url("hall-plan-export-json", world.hall) in html
    assert _url("hall-plan-export-csv", world.hall) in html
    # A programmer may look, not change.
    assert _url("hall-plan-generate", world.hall) not in html
    assert _url("hall-plan-import", world.hall) not in html


def test_a_manager_is_offered_a_new_version_and_sees_every_version(
    manager, world, plan
):
    with house_scope(world.house):
        plan_create(
            house=world.house,
            actor=None,
            hall=world.hall,
            spec=PlanSpec(
                [generate_section(name={"nl": "Zaal"}, rows=2, seats_per_row=5)]
            ),
            note="Minder rijen",
        )

    response = manager.get(_url("hall-plan", world.hall))

    html = response.content.decode()
    assert "Version 2 (current)" in html
    assert [
        (v.version, v.seat_count, v.note) for v in response.context["versions"]
    ] == [(2, 10, "Minder rijen"), (1, 18, "")]
    assert _url("hall-plan-generate", world.hall) in html
    assert _url("hall-plan-import", world.hall) in html


def test_wheelchair_spaces_and_seats_not_for_sale_are_counted_and_drawn(
    viewer, world, plan
):
    with house_scope(world.house):
        plan_copy_with_changes(
            house=world.house,
            actor=None,
            plan=plan,
            changes={
                (0, "A", "1"): {"wheelchair": True},
                (0, "B", "2"): {"blocked": True},
                (0, "C", "3"): {"kept": True},
            },
        )

    response = viewer.get(_url("hall-plan", world.hall))

    html = response.content.decode()
    assert response.context["counts"] == {
        "seats": 18,
        "wheelchair": 1,
        "sections": 1,
        "not_for_sale": 2,
    }
    assert html.count("seat-wheelchair") == 1
    assert html.count('class="seat seat-blocked') == 2
    assert 'aria-label="Stalls, row A, seat 1, rank 1, wheelchair space, free"' in html
    assert 'aria-label="Stalls, row B, seat 2, rank 2, not for sale"' in html
    assert "not for sale (blocked or kept for the house)" in html


def test_a_seated_hall_without_a_plan_says_so(manager, world):
    response = manager.get(_url("hall-plan", world.hall))

    assert response.status_code == 200
    assert "This hall has no seat plan yet." in response.content.decode()
    assert manager.get(_url("hall-plan-export-json", world.hall)).status_code == 404


def test_a_standing_hall_explains_it_has_no_seat_plan(manager, world):
    foyer = HallFactory(house=world.house, name="Foyer", kind=Hall.Kind.STANDING)

    page = manager.get(_url("hall-plan", foyer))

    assert page.status_code == 200
    html = page.content.decode()
    assert "This is a standing hall: it has no seat plan." in html
    assert _url("hall-plan-generate", foyer) not in html
    for name in HALL_URLS[1:]:
        assert manager.get(_url(name, foyer)).status_code == 404
    response = manager.post(_url("hall-plan-generate", foyer), _generate_data())
    assert response.status_code == 404
    assert _versions(foyer) == []


@pytest.mark.parametrize("name", HALL_URLS)
def test_a_hall_of_another_house_is_not_found(manager, world, elsewhere, name):
    response = manager.get(_url(name, elsewhere))

    assert response.status_code == 404
    assert _versions(elsewhere) == [(1, 18, "")]


@pytest.mark.parametrize("name", ["hall-plan-generate", "hall-plan-import"])
def test_a_plan_of_another_house_cannot_be_changed(manager, world, elsewhere, name):
    data = _generate_data(file=_csv("Zaal,A,1,0,0,0,0,1,0,0,0,0,0"))

    response = manager.post(_url(name, elsewhere), data)

    assert response.status_code == 404
    assert _versions(elsewhere) == [(1, 18, "")]


# --- Exports ---------------------------------------------------------------------------


def test_the_json_export_downloads_the_current_version(viewer, world, plan):
    response = viewer.get(_url("hall-plan-export-json", world.hall))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="house-a-grote-zaal-v1.json"'
    )
    document = json.loads(response.content)
    assert document["format"] == "podium-seat-plan"
    assert [section["name"] for section in document["sections"]] == [
        {"nl": "Zaal", "fr": "Salle", "en": "Stalls"}
    ]
    assert len(document["sections"][0]["seats"]) == 18


def test_the_csv_export_downloads_a_line_per_seat(viewer, world, plan):
    response = viewer.get(_url("hall-plan-export-csv", world.hall))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="house-a-grote-zaal-v1.csv"'
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "section,row,number,row_order,order,x,y,zone,wheelchair,companion,"
        "restricted_view,blocked,kept"
    )
    assert lines[1] == "Zaal,A,1,0,0,0.0,0.0,1,0,0,0,0,0"
    assert len(lines) == 1 + 18


def test_a_plan_with_two_sections_of_one_dutch_name_has_no_csv(viewer, world):
    twins = [
        generate_section(name={"nl": "Loge", "en": name}, rows=1, seats_per_row=2)
        for name in ("Left box", "Right box")
    ]
    with house_scope(world.house):
        plan_create(
            house=world.house, actor=None, hall=world.hall, spec=PlanSpec(twins)
        )

    response = viewer.get(_url("hall-plan-export-csv", world.hall))

    assert response.status_code == 302
    assert response.url == _url("hall-plan", world.hall)
    assert _messages(response) == [
        "Two sections are called Loge in Dutch: rename one to export the plan as CSV."
    ]


# --- Generating ------------------------------------------------------------------------


def test_the_generate_form_says_which_version_it_saves(manager, world, plan):
    response = manager.get(_url("hall-plan-generate", world.hall))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This saves version 2 of the seat plan; version 1 stays as it is." in html
    assert (
        "Performances already on sale keep the version they went on sale with" in html
    )
    assert 'name="stalls_name_nl" value="Zaal"' in html


def test_generating_saves_version_2_and_leaves_version_1_as_it_was(
    manager, world, plan
):
    before = _seats(plan)

    response = manager.post(
        _url("hall-plan-generate", world.hall),
        _generate_data(
            stalls_zone_rows="4, 8",
            stalls_aisle_after="10",
            balcony_name_en="Balcony",
            balcony_rows="3",
            balcony_seats_per_row="12",
            balcony_shape="curved",
            balcony_numbering="odd_even",
            note="Nieuwe zetels",
        ),
    )

    assert response.status_code == 302
    assert response.url == _url("hall-plan", world.hall)
    assert _messages(response) == ["Version 2 of the seat plan was saved (236 seats)."]
    assert _versions(world.hall) == [(1, 18, ""), (2, 236, "Nieuwe zetels")]
    assert _seats(plan) == before
    with house_scope(world.house):
        new = SeatPlan.objects.get(hall=world.hall, version=2)
        sections = list(new.sections.order_by("position"))
        assert [(s.position, s.name) for s in sections] == [
            (0, {"nl": "Zaal", "fr": "Salle", "en": "Stalls"}),
            (1, {"nl": "Balkon", "en": "Balcony"}),
        ]
        stalls = list(sections[0].seats.order_by("row_order", "order"))
        balcony = list(sections[1].seats.order_by("row_order", "order"))
        audit = AuditEntry.objects.get(
            action="podium.seating.plan.created", object_id=str(new.pk)
        )
    # Rows 1–4 rank 1, 5–8 rank 2, 9–10 rank 3; an aisle after the 10th seat.
    ranks = {seat.row: seat.zone for seat in stalls}
    assert "".join(str(ranks[row]) for row in "ABCDEFGHIJ") == "1111222233"
    row_a = [seat for seat in stalls if seat.row == "A"]
    assert [seat.order for seat in row_a][9:11] == [9, 11]
    assert row_a[10].x - row_a[9].x == 2.0
    # The balcony starts 3 units behind the stalls' last row, centred on them.
    assert min(seat.y for seat in balcony) == max(seat.y for seat in stalls) + 3
    middle = [
        (min(s.x for s in seats) + max(s.x for s in seats)) / 2
        for seats in (stalls, balcony)
    ]
    assert middle[0] == pytest.approx(middle[1], abs=0.01)
    assert [s.number for s in balcony if s.row == "A"] == (
        ["11", "9", "7", "5", "3", "1", "2", "4", "6", "8", "10", "12"]
    )
    assert (audit.actor_id, audit.data["version"], audit.data["seats"]) == (
        manager.user.pk,
        2,
        236,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"stalls_zone_rows": "8, x"},
            "stalls_zone_rows",
            "Give whole numbers separated by commas, such as 8, 14.",
        ),
        (
            {"stalls_zone_rows": "8, 4"},
            "stalls_zone_rows",
            "Rank boundaries must be rising row numbers, such as 6, 12.",
        ),
        (
            {"stalls_aisle_after": "0"},
            "stalls_aisle_after",
            "Aisles go after a seat position from 1.",
        ),
        (
            {"stalls_name_nl": "", "stalls_name_en": "Stalls"},
            "stalls_name",
            "Give the name in Dutch.",
        ),
        (
            {"stalls_rows": "0"},
            "stalls_rows",
            "Ensure this value is greater than or equal to 1.",
        ),
        ({"balcony_rows": "3"}, "balcony_seats_per_row", "This field is required."),
        (
            {"balcony_rows": "2", "balcony_seats_per_row": "8", "balcony_name_nl": ""},
            "balcony_name",
            "Give the name in Dutch.",
        ),
        (
            {
                "balcony_rows": "2",
                "balcony_seats_per_row": "8",
                "balcony_zone_rows": "5, 3",
            },
            "balcony_zone_rows",
            "Rank boundaries must be rising row numbers, such as 6, 12.",
        ),
        (
            {"stalls_rows": "100", "stalls_seats_per_row": "51"},
            None,
            "A seat plan has at most 5000 seats; this one has 5100.",
        ),
    ],
)
def test_bad_input_is_shown_on_the_form_and_saves_nothing(
    manager, world, plan, overrides, field, message
):
    response = manager.post(
        _url("hall-plan-generate", world.hall), _generate_data(**overrides)
    )

    assert response.status_code == 200
    form = response.context["form"]
    errors = form.non_field_errors() if field is None else form.errors[field]
    assert list(errors) == [message]
    assert message in response.content.decode()
    assert _versions(world.hall) == [(1, 18, "")]


# --- Importing -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_an_exported_plan_imports_as_the_next_version(manager, world, plan, kind):
    with house_scope(world.house):
        plan_create(  # version 2, with a wheelchair space and a second section
            house=world.house,
            actor=None,
            hall=world.hall,
            spec=PlanSpec(
                [
                    generate_section(name={"nl": "Zaal"}, rows=2, seats_per_row=4),
                    generate_section(
                        name={"nl": "Balkon", "en": "Balcony"},
                        rows=1,
                        seats_per_row=3,
                        origin_y=5,
                    ),
                ]
            ),
        )
    exported = manager.get(_url(f"hall-plan-export-{kind}", world.hall))
    upload = SimpleUploadedFile(f"zaal.{kind}", exported.content)

    response = manager.post(
        _url("hall-plan-import", world.hall), {"file": upload, "note": "Terug"}
    )

    assert response.status_code == 302
    assert response.url == _url("hall-plan", world.hall)
    assert _messages(response) == ["Version 3 of the seat plan was saved (11 seats)."]
    assert _versions(world.hall) == [(1, 18, ""), (2, 11, ""), (3, 11, "Terug")]
    with house_scope(world.house):
        v2, v3 = (
            plan_to_spec(plan=SeatPlan.objects.get(hall=world.hall, version=v))
            for v in (2, 3)
        )
    assert [(s.position, s.seats) for s in v3.sections] == [
        (s.position, s.seats) for s in v2.sections
    ]
    # JSON keeps every language of a section's name; CSV only the Dutch one.
    names = {
        "json": [{"nl": "Zaal"}, {"nl": "Balkon", "en": "Balcony"}],
        "csv": [{"nl": "Zaal"}, {"nl": "Balkon"}],
    }
    assert [s.name for s in v3.sections] == names[kind]


def test_a_bad_csv_line_is_named_on_the_file_field(manager, world, plan):
    upload = _csv("Zaal,A,1,0,0,0,0,1,0,0,0,0,0", "Zaal,A,2,0,1,abc,0,1,0,0,0,0,0")

    response = manager.post(_url("hall-plan-import", world.hall), {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Line 3: x must be a number, not “abc”."
    ]
    assert "Line 3: x must be a number, not “abc”." in response.content.decode()
    assert _versions(world.hall) == [(1, 18, "")]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("zaal.txt", b"section,row"),
            "Choose a .json or a .csv file.",
        ),
        (
            SimpleUploadedFile("zaal.csv", b"x" * (2 * 1024 * 1024 + 1)),
            "The file is larger than 2 MB.",
        ),
        (
            SimpleUploadedFile("zaal.json", b'{"format": "podium-seat-plan"'),
            "The file is not valid JSON (line 1, column 30).",
        ),
        (SimpleUploadedFile("zaal.csv", b""), "The submitted file is empty."),
    ],
)
def test_a_file_that_is_no_seat_plan_is_refused(manager, world, plan, upload, message):
    response = manager.post(_url("hall-plan-import", world.hall), {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert _versions(world.hall) == [(1, 18, "")]


def test_the_import_form_says_which_version_it_saves(manager, world):
    response = manager.get(_url("hall-plan-import", world.hall))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This saves version 1 of the seat plan." in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize("name", ["hall-plan-generate", "hall-plan-import"])
def test_a_programmer_may_not_change_a_plan(viewer, world, plan, name):
    data = _generate_data(file=_csv("Zaal,A,1,0,0,0,0,1,0,0,0,0,0"))

    response = viewer.post(_url(name, world.hall), data)

    assert response.status_code == 403
    assert _versions(world.hall) == [(1, 18, "")]
