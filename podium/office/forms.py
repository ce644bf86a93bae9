"""Office forms: they check the shape of the input; the catalogue services decide."""

from datetime import timedelta

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import (
    Artist,
    Performance,
    PressQuote,
    Production,
    ProductionImage,
    TaxonomyTerm,
    VideoLink,
)
from podium.catalog.series import series_dates
from podium.core.errors import DomainError
from podium.tenancy.models import Hall

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)
SCHEDULE_FIELDS = ("hall", "starts_at", "ends_at", "doors_open_at")


def model_field(model, name: str, **kwargs) -> forms.Field:
    """The form field a model field asks for (label, validators, choices)."""
    field = model._meta.get_field(name)
    kwargs.setdefault("label", capfirst(field.verbose_name))
    return field.formfield(**kwargs)


class OfficeForm(forms.Form):
    error_css_class = "field-error"
    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal on its field, or above the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error))


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"})


class ProductionForm(OfficeForm):
    title = model_field(Production, "title")
    subtitle = model_field(Production, "subtitle")
    description = model_field(Production, "description")
    event_type = forms.ModelChoiceField(
        label=_("Discipline"), queryset=TaxonomyTerm.objects.none()
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Genres"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=_checkboxes(),
    )
    age_min = model_field(Production, "age_min")
    age_max = model_field(Production, "age_max")
    language = model_field(Production, "language")
    duration_minutes = model_field(Production, "duration_minutes")
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas, e.g. family, outdoor."),
    )
    artists = forms.ModelMultipleChoiceField(
        label=_("Artists"),
        queryset=Artist.objects.none(),
        required=False,
        widget=_checkboxes(),
    )

    def __init__(self, *args, artists, production: Production | None = None, **kw):
        if production is not None:
            kw.setdefault("initial", self.initial_for(production))
        super().__init__(*args, **kw)
        terms = TaxonomyTerm.objects.order_by("id")
        self.fields["event_type"].queryset = terms.filter(
            domain=TaxonomyTerm.Domain.EVENT_TYPE
        )
        self.fields["themes"].queryset = terms.filter(domain=TaxonomyTerm.Domain.THEME)
        self.fields["artists"].queryset = artists

    @staticmethod
    def initial_for(production: Production) -> dict:
        initial = {
            name: getattr(production, name) for name in ProductionForm.base_fields
        }
        initial["themes"] = list(production.themes.all())
        initial["artists"] = list(production.artists.all())
        initial["tags"] = ", ".join(production.tags)
        return initial

    def clean_tags(self) -> list[str]:
        return [
            tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()
        ]


class ImageForm(OfficeForm):
    image = model_field(ProductionImage, "image")
    alt_text = model_field(ProductionImage, "alt_text")
    credit = model_field(ProductionImage, "credit")


class VideoForm(OfficeForm):
    url = model_field(VideoLink, "url", assume_scheme="https")
    title = model_field(VideoLink, "title")


class PressQuoteForm(OfficeForm):
    quote = model_field(PressQuote, "quote")
    source = model_field(PressQuote, "source")


def _halls(house):
    return Hall.objects.filter(house=house).select_related("venue")


class SeriesForm(OfficeForm):
    """Every chosen weekday between two dates, at one time, in one hall."""

    hall = forms.ModelChoiceField(label=_("Hall"), queryset=Hall.objects.none())
    first_date = forms.DateField(label=_("First date"), widget=DATE)
    last_date = forms.DateField(label=_("Last date"), widget=DATE)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=list(WEEKDAYS.items()),
        coerce=int,
        widget=_checkboxes(),
    )
    start_time = forms.TimeField(label=_("Start time"), widget=TIME)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), required=False, min_value=1, max_value=24 * 60
    )
    doors_open_minutes = forms.IntegerField(
        label=_("Doors open (minutes before the start)"),
        required=False,
        min_value=0,
        max_value=24 * 60,
    )
    status = model_field(Performance, "status")
    visibility = model_field(Performance, "visibility")
    sales_start = model_field(Performance, "sales_start", widget=DATETIME)
    sales_end = model_field(Performance, "sales_end", widget=DATETIME)

    def __init__(self, *args, house, production: Production, **kwargs):
        kwargs.setdefault("initial", {"duration_minutes": production.duration_minutes})
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = _halls(house)
        self.fields["duration_minutes"].help_text = _(
            "Leave empty to use the production's duration."
        )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_date"), data.get("last_date")
        if first and last and last < first:
            self.add_error(
                "last_date", _("The last date must not be before the first.")
            )
        return data

    def series_kwargs(self) -> dict:
        """The arguments of `performance_series_create`."""
        data = dict(self.cleaned_data)
        minutes = data.pop("duration_minutes")
        data["duration"] = timedelta(minutes=minutes) if minutes else None
        data["dates"] = series_dates(
            first=data.pop("first_date"),
            last=data.pop("last_date"),
            weekdays=set(data.pop("weekdays")),
        )
        return data


class PerformanceForm(OfficeForm):
    hall = forms.ModelChoiceField(label=_("Hall"), queryset=Hall.objects.none())
    starts_at = model_field(Performance, "starts_at", widget=DATETIME)
    ends_at = model_field(Performance, "ends_at", widget=DATETIME)
    doors_open_at = model_field(Performance, "doors_open_at", widget=DATETIME)
    status = model_field(Performance, "status")
    visibility = model_field(Performance, "visibility")
    sales_start = model_field(Performance, "sales_start", widget=DATETIME)
    sales_end = model_field(Performance, "sales_end", widget=DATETIME)

    def __init__(self, *args, house, performance: Performance, may_schedule, **kw):
        initial = {name: getattr(performance, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kw)
        self.fields["hall"].queryset = _halls(house)
        for name in SCHEDULE_FIELDS:
            # Shown but not editable; the view also drops them from what it saves.
            self.fields[name].disabled = not may_schedule


class HouseSwitchForm(forms.Form):
    house = forms.TypedChoiceField(label=_("House"), coerce=int)

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["house"].choices = [(house.pk, house.name) for house in houses]
