"""The office pages, through the test client: what staff do and what they see."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from podium.catalog.models import Performance, Production, ProductionImage
from podium.catalog.series import series_dates
from podium.catalog.tests.factories import PerformanceFactory, ProductionFactory
from podium.tenancy.middleware import SESSION_HOUSE_KEY
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import HallFactory

from .helpers import (
    local_input,
    month_after,
    performance_data,
    png_upload,
    production_data,
    series_data,
)

Role = StaffRole.Role


@pytest.fixture
def programmer(client, house, staff_factory):
    user = staff_factory(house, Role.PROGRAMMER)
    client.force_login(user)
    return user


def _performances(house, production) -> list[Performance]:
    with house_scope(house):
        return list(Performance.objects.filter(production=production))


def test_a_created_production_is_in_the_list(client, world, programmer):
    response = client.post(
        reverse("office:production-create"),
        production_data(world.discipline, world.theme),
    )

    with house_scope(world.house):
        production = Production.objects.get(title__nl="Kersverse voorstelling")
        assert response.url == reverse("office:production-detail", args=[production.pk])
        assert production.title == {
            "nl": "Kersverse voorstelling",
            "en": "Brand-new show",
        }
        assert production.tags == ["buiten", "familie"]
        assert list(production.themes.all()) == [world.theme]
    listing = client.get(reverse("office:production-list")).content.decode()
    assert "Kersverse voorstelling" in listing


def test_a_domain_error_shows_on_its_field_and_keeps_the_input(
    client, world, programmer
):
    data = production_data(world.discipline, age_min="12", age_max="8")

    response = client.post(reverse("office:production-create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["age_max"] == [
        "De maximumleeftijd mag niet lager zijn dan de minimumleeftijd."
    ]
    assert 'value="Kersverse voorstelling"' in response.content.decode()
    with house_scope(world.house):
        assert Production.objects.count() == 1


def test_a_series_adds_one_performance_per_chosen_weekday(client, world, programmer):
    first, last = month_after()
    fridays = series_dates(first=first, last=last, weekdays={4})

    response = client.post(
        reverse("office:series-create", args=[world.production.pk]),
        series_data(world.hall, first, last, weekdays=[4], doors_open_minutes="30"),
    )

    assert response.status_code == 302
    created = [
        p
        for p in _performances(world.house, world.production)
        if p.pk != world.performance.pk
    ]
    local = [timezone.localtime(p.starts_at) for p in created]
    assert [moment.date() for moment in local] == fridays
    assert {(moment.hour, moment.minute) for moment in local} == {(20, 0)}
    assert {p.ends_at - p.starts_at for p in created} == {timedelta(minutes=90)}
    assert {p.starts_at - p.doors_open_at for p in created} == {timedelta(minutes=30)}
    page = client.get(response.url).content.decode()
    assert f"{len(fridays)} voorstellingen zijn toegevoegd." in page


def test_a_clash_names_the_other_show_creates_nothing_and_keeps_the_input(
    client, world, programmer
):
    first, last = month_after()
    friday = series_dates(first=first, last=last, weekdays={4})[1]
    with house_scope(world.house):
        blocker = ProductionFactory(house=world.house, title={"nl": "De Meeuw"})
    PerformanceFactory(
        house=world.house,
        production=blocker,
        hall=world.hall,
        starts_at=timezone.make_aware(datetime.combine(friday, time(19, 0))),
    )
    before = _performances(world.house, world.production)

    response = client.post(
        reverse("office:series-create", args=[world.production.pk]),
        series_data(world.hall, first, last, weekdays=[4]),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "is op dat moment al bezet: De Meeuw op" in page
    assert (
        response.context["form"]
        .errors["start_time"][0]
        .startswith(f"{world.hall.name} is op dat moment al bezet: De Meeuw op")
    )
    assert f'value="{first.isoformat()}"' in page
    assert 'value="20:00"' in page
    assert _performances(world.house, world.production) == before


def test_the_house_switcher_refuses_a_house_the_user_does_not_work_for(
    client, house, other_house, staff_factory
):
    user = staff_factory(house, Role.PROGRAMMER)
    client.force_login(user)

    response = client.post(reverse("office:house-switch"), {"house": other_house.pk})

    assert response.status_code == 403
    assert SESSION_HOUSE_KEY not in client.session
    assert client.get(reverse("office:home")).wsgi_request.house == house


def test_the_house_switcher_moves_between_the_users_houses(
    client, house, other_house, staff_factory
):
    user = staff_factory(house, Role.PROGRAMMER)
    StaffRole.objects.create(user=user, house=other_house, role=Role.TICKETING)
    client.force_login(user)

    response = client.post(reverse("office:house-switch"), {"house": other_house.pk})

    assert response.url == reverse("office:home")
    home = client.get(reverse("office:home"))
    assert home.wsgi_request.house == other_house
    assert "Binnenkort in Huis B" in home.content.decode()


def test_duplicate_copies_the_content_and_opens_the_copy(client, world, programmer):
    response = client.post(
        reverse("office:production-duplicate", args=[world.production.pk])
    )

    with house_scope(world.house):
        copy = Production.objects.exclude(pk=world.production.pk).get()
        assert response.url == reverse("office:production-edit", args=[copy.pk])
        assert copy.title == {"nl": "Hamlet (kopie)", "en": "Hamlet (EN) (copy)"}
        assert copy.event_type == world.discipline
        assert copy.tags == ["klassiek"]
        assert list(copy.themes.all()) == [world.theme]
        assert [a.name for a in copy.artists.all()] == ["Toneelgroep A"]
        assert not copy.performances.exists()
    edit = client.get(response.url).content.decode()
    assert "Dit is een kopie: pas aan wat verschilt en bewaar." in edit


def test_an_image_needs_alt_text(client, world, programmer):
    url = reverse("office:image-add", args=[world.production.pk])

    response = client.post(url, {"image": png_upload(), "credit": "Foto: Jan"})

    assert response.status_code == 200
    assert "Vul dit in, in minstens één taal." in response.content.decode()
    with house_scope(world.house):
        assert not ProductionImage.objects.exists()


def test_a_ticketing_officer_changes_the_status_but_cannot_move_the_show(
    client, world, staff_factory
):
    client.force_login(staff_factory(world.house, Role.TICKETING))
    other_hall = HallFactory(house=world.house)
    later = world.performance.starts_at + timedelta(days=1)
    data = performance_data(
        world.performance,
        hall=other_hall.pk,
        starts_at=local_input(later),
        ends_at=local_input(later + timedelta(hours=2)),
        status="sold_out",
    )

    response = client.post(
        reverse("office:performance-edit", args=[world.performance.pk]), data
    )

    assert response.status_code == 302
    [performance] = _performances(world.house, world.production)
    assert performance.status == "sold_out"
    assert performance.hall == world.hall
    assert performance.starts_at == world.performance.starts_at
    assert performance.ends_at == world.performance.ends_at


def test_moving_a_performance_onto_another_show_is_refused(client, world, programmer):
    other = PerformanceFactory(
        house=world.house,
        hall=world.hall,
        starts_at=world.performance.starts_at + timedelta(days=1),
    )
    data = performance_data(
        world.performance,
        starts_at=local_input(other.starts_at),
        ends_at=local_input(other.starts_at + timedelta(hours=1)),
    )

    response = client.post(
        reverse("office:performance-edit", args=[world.performance.pk]), data
    )

    assert response.status_code == 200
    assert "is op dat moment al bezet" in response.content.decode()
    [performance] = _performances(world.house, world.production)
    assert performance.starts_at == world.performance.starts_at


def test_the_start_page_shows_times_in_the_house_time_zone(client, world, programmer):
    world.house.timezone = "America/New_York"
    world.house.save()

    page = client.get(reverse("office:home")).content.decode()

    new_york = world.performance.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert f"{new_york:%H:%M}" in page
    assert f"{timezone.localtime(world.performance.starts_at):%H:%M}" not in page
    assert "Hamlet" in page


def test_a_user_without_a_house_is_told_so(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody"))

    response = client.get(reverse("office:home"))

    assert response.status_code == 403
    assert "Je werkt nog voor geen enkel huis" in response.content.decode()


def test_log_in_through_the_form_and_log_out(client, house, staff_factory):
    staff_factory(house, Role.PROGRAMMER, username="programmeur")

    response = client.post(
        reverse("office:login"), {"username": "programmeur", "password": PASSWORD}
    )
    assert response.url == reverse("office:home")
    assert client.get(reverse("office:home")).status_code == 200

    response = client.post(reverse("office:logout"))
    assert response.url == reverse("office:login")
    assert client.get(reverse("office:home")).status_code == 302
