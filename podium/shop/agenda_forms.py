"""The agenda's filter form (GET): it only checks the shape of what a visitor sent."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.catalog.agenda import AgendaFacets, AgendaFilters
from podium.catalog.models import Production
from podium.core.i18n import localize

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class AgendaFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("A title, an artist or a word from the description."),
    )
    van = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    huis = forms.ChoiceField(label=_("House"), required=False)
    locatie = forms.TypedChoiceField(
        label=_("Venue"), required=False, coerce=int, empty_value=None
    )
    discipline = forms.MultipleChoiceField(
        label=_("Discipline"), required=False, widget=forms.CheckboxSelectMultiple
    )
    genre = forms.MultipleChoiceField(
        label=_("Genre"), required=False, widget=forms.CheckboxSelectMultiple
    )
    leeftijd = forms.IntegerField(
        label=_("Age of your child"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Only shows suited to this age."),
    )
    maxprijs = forms.DecimalField(
        label=_("Maximum price (€)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
    )
    taal = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *Production.Language.choices],
    )
    toegankelijk = forms.BooleanField(
        label=_("Wheelchair-accessible venue only"), required=False
    )

    def __init__(self, data, *, facets: AgendaFacets, one_house: bool = False):
        super().__init__(data, label_suffix="")
        self.fields["huis"].choices = [("", _("All houses"))] + [
            (house.slug, house.name) for house in facets.houses
        ]
        self.fields["locatie"].choices = [("", _("All venues"))] + [
            (venue.pk, venue.name) for venue in facets.venues
        ]
        self.fields["discipline"].choices = _choices(facets.disciplines)
        self.fields["genre"].choices = _choices(facets.genres)
        if one_house:
            del self.fields["huis"]
        for name in ("discipline", "genre"):
            if not self.fields[name].choices:
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("The end date must not be before the start date."))
        return cleaned

    def filters(self) -> AgendaFilters:
        """The filters from the fields that are valid; invalid ones filter nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        house = data.get("huis")
        return AgendaFilters(
            date_from=data.get("van"),
            date_to=data.get("tot"),
            disciplines=tuple(data.get("discipline") or ()),
            genres=tuple(data.get("genre") or ()),
            houses=(house,) if house else (),
            venue=data.get("locatie"),
            age=data.get("leeftijd"),
            max_price=data.get("maxprijs"),
            language=data.get("taal") or "",
            accessible=bool(data.get("toegankelijk")),
            q=(data.get("q") or "").strip(),
        )

    @property
    def is_filtered(self) -> bool:
        """A filter besides the search is set: the folded filters open."""
        return any(self.data.get(name) for name in self.fields if name != "q")


def _choices(terms) -> list[tuple[str, str]]:
    return [(term.pk, localize(term.name)) for term in terms]


def month_from(value: str | None, default: date) -> tuple[date, bool]:
    """The first day of the month in "2026-12"; `default`'s month, and False, when
    the value is missing or not a month."""
    match = _MONTH.match((value or "").strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 1900 <= year <= 9999:
            return date(year, month, 1), True
    return default.replace(day=1), not value
