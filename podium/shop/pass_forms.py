"""The shop's forms for a friends pass, a gift voucher and a voucher's balance."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.core.i18n import localize

VOUCHER_VALUES = (25, 50, 75, 100)


class _Person(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class MembershipBuyForm(_Person):
    type = forms.TypedChoiceField(
        label=_("Friends pass"), coerce=int, widget=forms.RadioSelect
    )
    field_order = ["type", "name", "email"]

    def __init__(self, *args, types, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.types = {t.pk: t for t in types}
        self.fields["type"].choices = [
            (t.pk, f"{localize(t.name, language)} · € {t.price}".replace(".", ","))
            for t in types
        ]
        if len(types) == 1:
            self.fields["type"].initial = types[0].pk
        self.fields["email"].help_text = _("Your pass number is sent here.")

    def chosen(self):
        return self.types[self.cleaned_data["type"]]


class VoucherBuyForm(_Person):
    value = forms.ChoiceField(label=_("Value"), widget=forms.RadioSelect)
    other_value = forms.DecimalField(
        label=_("Another amount (€)"),
        required=False,
        min_value=Decimal("5"),
        max_value=Decimal("500"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    recipient_name = forms.CharField(
        label=_("For (optional)"), max_length=200, required=False
    )
    message = forms.CharField(
        label=_("Your message (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["value", "other_value", "recipient_name", "message", "name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [
            (str(value), f"€ {value}") for value in VOUCHER_VALUES
        ] + [("other", _("Another amount"))]
        self.fields["value"].initial = "50"
        self.fields["email"].help_text = _("The voucher (PDF) is sent here.")

    def clean(self):
        data = super().clean()
        if data.get("value") == "other":
            if data.get("other_value") is None and "other_value" not in self.errors:
                self.add_error("other_value", _("Enter the amount of the voucher."))
            data["amount"] = data.get("other_value")
        elif data.get("value"):
            data["amount"] = Decimal(data["value"])
        return data


class VoucherBalanceForm(forms.Form):
    code = forms.CharField(
        label=_("Gift voucher code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )
