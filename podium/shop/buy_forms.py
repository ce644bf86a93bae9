"""The shop's buying forms: tickets or seats for a performance, and the buyer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.core.i18n import localize
from podium.sales.models import Tariff

MAX_PER_LINE = 20


class TicketCountsForm(forms.Form):
    """General admission: a number of tickets per tariff."""

    def __init__(self, data=None, *, tariffs: list[Tariff], language: str):
        super().__init__(data)
        self.tariffs = tariffs
        for tariff in tariffs:
            field = forms.IntegerField(
                min_value=0,
                max_value=tariff.max_per_order or MAX_PER_LINE,
                initial=0,
                required=False,
                label=tariff_label(tariff, language),
            )
            field.widget.attrs.update({"inputmode": "numeric", "class": "count"})
            self.fields[f"tariff_{tariff.pk}"] = field

    def clean(self):
        data = super().clean()
        if not any(data.get(f"tariff_{t.pk}") for t in self.tariffs):
            raise forms.ValidationError(_("Choose at least one ticket."))
        return data

    def counts(self) -> list[tuple[Tariff, int]]:
        return [
            (tariff, self.cleaned_data[f"tariff_{tariff.pk}"])
            for tariff in self.tariffs
            if self.cleaned_data.get(f"tariff_{tariff.pk}")
        ]


class BestAvailableForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of seats"), min_value=1, max_value=MAX_PER_LINE, initial=2
    )
    tariff = forms.TypedChoiceField(label=_("Rank and tariff"), coerce=int)

    def __init__(self, data=None, *, tariffs: list[Tariff], language: str):
        super().__init__(data)
        self.by_id = {tariff.pk: tariff for tariff in tariffs}
        self.fields["tariff"].choices = [
            (tariff.pk, tariff_label(tariff, language, with_category=True))
            for tariff in tariffs
        ]
        self.fields["count"].widget.attrs["inputmode"] = "numeric"


class PickedSeatsForm(forms.Form):
    seat = forms.TypedMultipleChoiceField(coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Tariff for these seats"))

    def __init__(self, data=None, *, seat_ids, kinds: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["seat"].choices = [(i, i) for i in seat_ids]
        self.fields["seat"].error_messages["required"] = _(
            "Choose one or more seats on the plan first."
        )
        self.fields["kind"].choices = kinds


class BuyerForm(forms.Form):
    buyer_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    buyer_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Your tickets are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Only for a company that wants an invoice; the checkout folds these away.
    company_name = forms.CharField(
        label=_("Company name (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    company_vat = forms.CharField(
        label=_("VAT number (optional)"),
        max_length=30,
        required=False,
    )

    # A gift voucher pays what it can; the rest is paid online.
    voucher_code = forms.CharField(
        label=_("Gift voucher code"),
        max_length=30,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )

    # Two optional boxes, never ticked in advance (GDPR consent is an active choice).
    consent_newsletter = forms.BooleanField(required=False)
    consent_suggestions = forms.BooleanField(
        label=_("Suggest performances to me based on what I bought"), required=False
    )

    COMPANY_FIELDS = ("company_name", "company_vat")
    VOUCHER_FIELDS = ("voucher_code",)
    CONSENT_FIELDS = ("consent_newsletter", "consent_suggestions")

    def __init__(self, *args, house_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_newsletter"].label = _(
            "Keep me informed about %(house)s"
        ) % {"house": house_name}

    def person_fields(self):
        others = self.COMPANY_FIELDS + self.VOUCHER_FIELDS + self.CONSENT_FIELDS
        return [self[name] for name in self.fields if name not in others]

    def company_fields(self):
        return [self[name] for name in self.COMPANY_FIELDS]

    def voucher_fields(self):
        return [self[name] for name in self.VOUCHER_FIELDS]

    def consent_fields(self):
        return [self[name] for name in self.CONSENT_FIELDS]

    def consents_given(self) -> list[str]:
        """The purposes ticked: "newsletter", "suggestions"."""
        return [
            name.removeprefix("consent_")
            for name in self.CONSENT_FIELDS
            if self.cleaned_data.get(name)
        ]


def tariff_label(tariff: Tariff, language: str, with_category=False) -> str:
    name = localize(tariff.name, language) or str(tariff.get_kind_display())
    price = f"€ {tariff.price:.2f}".replace(".", "," if language != "en" else ".")
    if with_category:
        return f"{localize(tariff.category.name, language)} · {name} · {price}"
    return f"{name} · {price}"
