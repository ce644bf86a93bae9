"""The shop's subscription form: tariff, people and the chosen performances.

It checks the shape only; the rules (how many, which, on sale, sold out) are the
service's (`subscription_compose`), whose refusals the page shows.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.core.i18n import localize
from podium.passes.models import SubscriptionType

MAX_PEOPLE = 10
STANDARD = "standard"  # no subscription tariff: the type's own price


class SubscriptionComposeForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("quote", "quote"), ("claim", "claim"), ("pick", "pick")],
        required=False,
        widget=forms.HiddenInput,
    )
    tariff = forms.ChoiceField(label=_("Tariff"), widget=forms.RadioSelect)
    quantity = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=MAX_PEOPLE,
        initial=1,
        help_text=_("Each person gets a ticket for every chosen performance."),
    )
    performances = forms.TypedMultipleChoiceField(
        label=_("Performances"), coerce=int, required=False
    )

    def __init__(
        self, data=None, *, type: SubscriptionType, offered: list, language: str
    ):
        super().__init__(data)
        self.type = type
        tariffs = getattr(type, "active_tariffs", None)
        if tariffs is None:
            tariffs = list(type.tariffs.filter(is_active=True))
        self.tariffs_by_id = {str(tariff.pk): tariff for tariff in tariffs}
        self.fields["tariff"].choices = [(STANDARD, _("Standard"))] + [
            (str(tariff.pk), localize(tariff.name, language)) for tariff in tariffs
        ]
        self.fields["tariff"].initial = STANDARD
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"
        self.fields["performances"].choices = [
            (item.performance.pk, str(item.performance.pk)) for item in offered
        ]

    def clean_performances(self):
        chosen = self.cleaned_data["performances"]
        if self.type.kind == SubscriptionType.Kind.FIXED:
            return []  # a fixed series is the whole series
        if not chosen:
            raise forms.ValidationError(_("Choose the performances you want to see."))
        return chosen

    def chosen_tariff(self):
        return self.tariffs_by_id.get(self.cleaned_data["tariff"])

    def claiming(self) -> bool:
        """Hold the subscription: at the best seats, or at the ones picked."""
        return self.cleaned_data.get("action") in ("claim", "pick")

    def picked_seats(self) -> list[int] | None:
        """The seat ids picked on a same-seat series' plan (None: take the best)."""
        if self.cleaned_data.get("action") != "pick":
            return None
        return [int(v) for v in self.data.getlist("seat") if str(v).isdigit()]

    def checked(self) -> set[str]:
        """The performances ticked (as posted), to keep them ticked on the page."""
        if not self.is_bound:
            return set()
        return {str(value) for value in self.data.getlist("performances")}
