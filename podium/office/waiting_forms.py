"""The waiting room form: its shape only; the waiting room services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance, Production
from podium.waitingroom.models import WaitingRoom

from .forms import DATETIME, OfficeForm, model_field


class WaitingRoomForm(OfficeForm):
    name = model_field(WaitingRoom, "name")
    scope = model_field(WaitingRoom, "scope")
    performance = forms.ModelChoiceField(
        label=_("Performance"),
        queryset=Performance.objects.none(),
        required=False,
        help_text=_("When it applies to one performance."),
    )
    production = forms.ModelChoiceField(
        label=_("Production"),
        queryset=Production.objects.none(),
        required=False,
        help_text=_("When it applies to every performance of a production."),
    )
    opens_at = model_field(WaitingRoom, "opens_at", widget=DATETIME)
    closes_at = model_field(WaitingRoom, "closes_at", widget=DATETIME)
    rate_per_minute = model_field(WaitingRoom, "rate_per_minute")
    admission_minutes = model_field(WaitingRoom, "admission_minutes")
    is_enabled = model_field(WaitingRoom, "is_enabled")

    def __init__(self, *args, house, room: WaitingRoom | None = None, **kwargs):
        if room is not None:
            kwargs["initial"] = {name: getattr(room, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        self.fields["performance"].queryset = Performance.objects.filter(
            house=house
        ).select_related("production")
        self.fields["production"].queryset = Production.objects.filter(house=house)
