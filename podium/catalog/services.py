"""Writes to the catalogue: productions and their performances (process 1)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from podium.core.audit import audit_log
from podium.core.i18n import clean_translations, localize
from podium.core.images import image_clean
from podium.tenancy.models import Hall, House

from .errors import CatalogError, CatalogErrorCode, HallClash
from .models import (
    Performance,
    PressQuote,
    Production,
    ProductionImage,
    TaxonomyTerm,
    VideoLink,
)
from .selectors import hall_clashes
from .series import MAX_SERIES, local_datetime

PRODUCTION_FIELDS = (
    "title",
    "subtitle",
    "description",
    "event_type",
    "age_min",
    "age_max",
    "language",
    "duration_minutes",
    "tags",
)
PERFORMANCE_FIELDS = (
    "hall",
    "starts_at",
    "ends_at",
    "doors_open_at",
    "status",
    "sales_start",
    "sales_end",
    "visibility",
)


def _validated(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        first_field, messages = next(iter(error.message_dict.items()))
        raise CatalogError(
            messages[0],
            code=CatalogErrorCode.INVALID,
            field=None if first_field == "__all__" else first_field,
        ) from error


def _only_themes(themes) -> list[TaxonomyTerm]:
    themes = list(themes)
    if any(term.domain != TaxonomyTerm.Domain.THEME for term in themes):
        raise CatalogError(_("Pick genres from the list of themes."), field="themes")
    return themes


def _current(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:  # a foreign key not set yet
        return None


def _set_fields(obj, fields: dict, allowed: tuple[str, ...]) -> dict:
    changed = {}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{type(obj).__name__} has no editable field {name!r}")
        if name == "description":
            value = clean_translations(value, rich=True)
        elif name in ("title", "subtitle"):
            value = clean_translations(value)
        elif name == "tags":
            value = sorted({tag.strip().lower() for tag in value or [] if tag.strip()})
        if _current(obj, name) != value:
            changed[name] = value
            setattr(obj, name, value)
    return changed


def _after(moment: datetime, delta: timedelta) -> datetime:
    """`moment + delta` in elapsed time, in `moment`'s zone.

    Python adds a timedelta to the wall clock of an aware datetime, which is an hour
    off when a performance spans a DST switch (a night show on the last Sunday of
    October); adding in UTC is not.
    """
    return (moment.astimezone(UTC) + delta).astimezone(moment.tzinfo)


def _pks(objects) -> list:
    return sorted(obj.pk for obj in objects)


def _for_log(values: dict) -> dict:
    return {
        key: (getattr(value, "pk", None) or str(value))
        if hasattr(value, "_meta") or isinstance(value, datetime)
        else value
        for key, value in values.items()
    }


@transaction.atomic
def production_create(
    *, house: House, actor, themes=(), artists=(), **fields
) -> Production:
    production = Production(house=house)
    _set_fields(production, fields, PRODUCTION_FIELDS)
    _validated(production)
    production.save()
    production.themes.set(_only_themes(themes))
    production.artists.set(
        [artist for artist in artists if artist.house_id == house.pk]
    )
    audit_log(
        action="podium.catalog.production.created",
        obj=production,
        actor=actor,
        data={"title": production.title},
    )
    return production


@transaction.atomic
def production_update(
    *, house: House, actor, production: Production, themes=None, artists=None, **fields
) -> Production:
    if production.house_id != house.pk:
        raise CatalogError(_("This production belongs to another house."))
    changed = _set_fields(production, fields, PRODUCTION_FIELDS)
    _validated(production)
    production.save()
    if themes is not None and _pks(themes) != _pks(production.themes.all()):
        production.themes.set(_only_themes(themes))
        changed["themes"] = _pks(themes)
    if artists is not None:
        own_artists = [artist for artist in artists if artist.house_id == house.pk]
        if _pks(own_artists) != _pks(production.artists.all()):
            production.artists.set(own_artists)
            changed["artists"] = _pks(own_artists)
    audit_log(
        action="podium.catalog.production.changed",
        obj=production,
        actor=actor,
        data=_for_log(changed),
    )
    return production


COPY_SUFFIX = {"nl": " (kopie)", "fr": " (copie)", "en": " (copy)"}


@transaction.atomic
def production_duplicate(*, house: House, actor, production: Production) -> Production:
    """A copy of the production's content (not its performances), to plan a rerun or tour."""
    if production.house_id != house.pk:
        raise CatalogError(_("This production belongs to another house."))
    copy = Production.objects.get(pk=production.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.slug = ""  # a fresh one from the copy's title
    copy.title = {
        code: text + COPY_SUFFIX.get(code, " (copy)")
        for code, text in production.title.items()
    }
    copy.save()
    copy.themes.set(production.themes.all())
    copy.artists.set(production.artists.all())
    for image in production.images.all():
        image.pk = None
        image.production = copy
        image.save()
    for related in (*production.videos.all(), *production.press_quotes.all()):
        related.pk = None
        related.production = copy
        related.save()
    audit_log(
        action="podium.catalog.production.duplicated",
        obj=copy,
        actor=actor,
        data={"source": production.pk},
    )
    return copy


def _clash_message(hall: Hall, clashes: list[Performance], tz: ZoneInfo) -> str:
    lines = []
    for other in clashes:
        start = other.starts_at.astimezone(tz)
        end = other.ends_at.astimezone(tz)
        lines.append(
            _("%(title)s on %(day)s from %(start)s to %(end)s")
            % {
                "title": localize(other.production.title),
                "day": formats.date_format(start, "l j F Y"),
                "start": formats.time_format(start, "H:i"),
                "end": formats.time_format(end, "H:i"),
            }
        )
    return _("%(hall)s is already taken at that time: %(clashes)s.") % {
        "hall": hall.name,
        "clashes": "; ".join(str(line) for line in lines),
    }


def _lock_hall(hall: Hall) -> Hall:
    # Scheduling in one hall is serialised on the hall's row, so that two programmers
    # booking the same evening at once cannot both pass the clash check.
    return Hall.objects.select_for_update().get(pk=hall.pk, house_id=hall.house_id)


def _check_hall_free(performance: Performance, house: House) -> None:
    if not performance.occupies_hall:
        return
    clashes = hall_clashes(
        hall=performance.hall,
        starts_at=performance.starts_at,
        ends_at=performance.ends_at,
        exclude_pk=performance.pk,
    )
    if clashes:
        raise HallClash(
            _clash_message(performance.hall, clashes, ZoneInfo(house.timezone)),
            clashes=clashes,
            field="starts_at",
        )


def _with_defaults(performance: Performance) -> Performance:
    if performance.starts_at and not performance.ends_at:
        performance.ends_at = _after(
            performance.starts_at, performance.production.default_duration
        )
    return performance


@transaction.atomic
def performance_create(
    *, house: House, actor, production: Production, **fields
) -> Performance:
    performance = Performance(house=house, production=production)
    _set_fields(performance, fields, PERFORMANCE_FIELDS)
    _with_defaults(performance)
    _validated(performance)
    _lock_hall(performance.hall)
    _check_hall_free(performance, house)
    performance.save()
    audit_log(
        action="podium.catalog.performance.created",
        obj=performance,
        actor=actor,
        data=_for_log(fields),
    )
    return performance


@transaction.atomic
def performance_update(
    *, house: House, actor, performance: Performance, **fields
) -> Performance:
    if performance.house_id != house.pk:
        raise CatalogError(_("This performance belongs to another house."))
    changed = _set_fields(performance, fields, PERFORMANCE_FIELDS)
    _validated(performance)
    _lock_hall(performance.hall)
    _check_hall_free(performance, house)
    performance.save()
    audit_log(
        action="podium.catalog.performance.changed",
        obj=performance,
        actor=actor,
        data=_for_log(changed),
    )
    return performance


@transaction.atomic
def performance_series_create(
    *,
    house: House,
    actor,
    production: Production,
    hall: Hall,
    dates: list[date],
    start_time: time,
    duration: timedelta | None = None,
    doors_open_minutes: int | None = None,
    **fields,
) -> list[Performance]:
    """One performance per date, all or nothing; every clash is named at once."""
    if production.house_id != house.pk:
        raise CatalogError(
            _("This production belongs to another house."), field="production"
        )
    if hall.house_id != house.pk:
        raise CatalogError(_("This hall belongs to another house."), field="hall")
    dates = sorted(set(dates))
    if not dates:
        raise CatalogError(
            _("The series has no dates: check the period and the weekdays."),
            code=CatalogErrorCode.SERIES_EMPTY,
        )
    if len(dates) > MAX_SERIES:
        raise CatalogError(
            _("A series can have at most %(max)s performances.") % {"max": MAX_SERIES},
            code=CatalogErrorCode.SERIES_TOO_LONG,
        )
    duration = duration or production.default_duration
    _lock_hall(hall)
    created, clashes = [], []
    for day in dates:
        starts_at = local_datetime(day, start_time, house.timezone)
        performance = Performance(
            house=house,
            production=production,
            hall=hall,
            starts_at=starts_at,
            ends_at=_after(starts_at, duration),
        )
        if doors_open_minutes is not None:
            performance.doors_open_at = _after(
                starts_at, -timedelta(minutes=doors_open_minutes)
            )
        _set_fields(performance, fields, PERFORMANCE_FIELDS)
        _validated(performance)
        if performance.occupies_hall:
            clashes += [
                clash
                for clash in hall_clashes(
                    hall=hall,
                    starts_at=performance.starts_at,
                    ends_at=performance.ends_at,
                )
                if clash not in clashes  # one long performance may block two dates
            ]
        created.append(performance)
    if clashes:
        raise HallClash(
            _clash_message(hall, clashes, ZoneInfo(house.timezone)),
            clashes=clashes,
            field="start_time",
        )
    Performance.objects.bulk_create(created)
    for performance in created:
        audit_log(
            action="podium.catalog.performance.created",
            obj=performance,
            actor=actor,
            data={"series": True, "starts_at": performance.starts_at.isoformat()},
        )
    return created


@transaction.atomic
def video_add(
    *, house: House, actor, production: Production, url: str, title: dict | None = None
) -> VideoLink:
    video = VideoLink(
        house=house, production=production, url=url, title=clean_translations(title)
    )
    _validated(video)
    video.save()
    audit_log(
        action="podium.catalog.video.added", obj=video, actor=actor, data={"url": url}
    )
    return video


@transaction.atomic
def press_quote_add(
    *, house: House, actor, production: Production, quote: dict, source: str
) -> PressQuote:
    press_quote = PressQuote(
        house=house,
        production=production,
        quote=clean_translations(quote),
        source=source,
    )
    _validated(press_quote)
    press_quote.save()
    audit_log(
        action="podium.catalog.press_quote.added",
        obj=press_quote,
        actor=actor,
        data={"source": source},
    )
    return press_quote


@transaction.atomic
def production_image_add(
    *,
    house: House,
    actor,
    production: Production,
    image,
    alt_text: dict,
    credit: str = "",
) -> ProductionImage:
    """An image for the production; it must be described in at least one language."""
    if production.house_id != house.pk:
        raise CatalogError(_("This production belongs to another house."))
    alt_text = clean_translations(alt_text)
    if not alt_text:
        raise CatalogError(
            _("Describe the image in at least one language, for screen readers."),
            field="alt_text",
        )
    image = image_clean(image)  # checked, and re-encoded without metadata
    last = production.images.order_by("-position").first()
    production_image = ProductionImage(
        house=house,
        production=production,
        image=image,
        alt_text=alt_text,
        credit=credit.strip(),
        position=last.position + 1 if last else 0,
    )
    _validated(production_image)
    production_image.save()
    audit_log(
        action="podium.catalog.production_image.added",
        obj=production_image,
        actor=actor,
        data={"production": production.pk, "alt_text": alt_text},
    )
    return production_image
