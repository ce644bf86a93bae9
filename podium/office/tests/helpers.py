"""Small builders shared by the office tests."""

import io
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image


def next_weekday(weekday: int, hour: int = 20) -> datetime:
    """The first `weekday` (Mon=0) at least two weeks away, on the hour, Brussels time."""
    day = timezone.localdate() + timedelta(days=14)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def png_upload(name: str = "poster.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "purple").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def local_input(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def production_data(discipline, theme=None, **overrides) -> dict:
    """A valid production form as a browser posts it: title_nl, title_fr, title_en."""
    data = {
        "title_nl": "Kersverse voorstelling",
        "title_en": "Brand-new show",
        "event_type": discipline.pk,
        "language": "nl",
        "duration_minutes": "75",
        "tags": "Familie, buiten",
    }
    if theme is not None:
        data["themes"] = [theme.pk]
    data.update(overrides)
    return data


def series_data(hall, first: date, last: date, weekdays=(4,), **overrides) -> dict:
    data = {
        "hall": hall.pk,
        "first_date": first.isoformat(),
        "last_date": last.isoformat(),
        "weekdays": list(weekdays),
        "start_time": "20:00",
        "status": "planned",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def performance_data(performance, **overrides) -> dict:
    data = {
        "hall": performance.hall_id,
        "starts_at": local_input(performance.starts_at),
        "ends_at": local_input(performance.ends_at),
        "status": performance.status,
        "visibility": performance.visibility,
    }
    data.update(overrides)
    return data


def month_after(days: int = 60) -> tuple[date, date]:
    """The first and last day of the month `days` from today."""
    first = (timezone.localdate() + timedelta(days=days)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def tariff_data(category, **overrides) -> dict:
    """A valid tariff form: an under-26 tariff of `category`, on sale."""
    data = {
        "category": category.pk,
        "kind": "under_26",
        "name_nl": "Jonger dan 26",
        "name_en": "Under 26",
        "price": "12.00",
        "vat_rate": "6.00",
        "requires_proof": "on",
        "max_per_order": "4",
        "is_active": "on",
    }
    data.update(overrides)
    return data
