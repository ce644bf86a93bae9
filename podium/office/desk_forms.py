"""The box-office sale form: tickets or seats, an optional buyer and the payment."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from podium.core.i18n import localize
from podium.sales.models import Tariff

from .forms import OfficeForm

PAYMENT_CHOICES = [
    ("cash", _("Cash")),
    ("card_terminal", _("Card terminal")),
    ("bank_transfer", _("Invoice (bank transfer)")),
    ("free", _("Free (invitations)")),
]
MAX_PER_LINE = 50
# A gift voucher pays what it can; the rest is paid on the spot with one of these.
VOUCHER_PROVIDERS = ("cash", "card_terminal")


def tariff_label(tariff: Tariff, language: str, with_category: bool) -> str:
    name = localize(tariff.name, language) or str(tariff.get_kind_display())
    price = "€ " + number_format(tariff.price, 2, use_l10n=True)
    if with_category:
        return f"{localize(tariff.category.name, language)} · {name} · {price}"
    return f"{name} · {price}"


class DeskSaleForm(OfficeForm):
    """One form, one click: the counts (or seats), who buys and how they pay."""

    buyer_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    buyer_email = forms.EmailField(label=_("E-mail"), required=False)
    send_confirmation = forms.BooleanField(
        label=_("E-mail the tickets"), required=False
    )
    # The customer: one chosen from the look-up (its radio buttons post `customer`),
    # or one typed as "name, e-mail, phone" and created with the sale.
    customer = forms.IntegerField(required=False, min_value=1)
    customer_line = forms.CharField(
        label=_("Customer"),
        max_length=300,
        required=False,
        help_text=_(
            "Type a name, e-mail or phone to find a customer of your house, or "
            "“name, e-mail, phone” to add a new one."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    provider = forms.ChoiceField(
        label=_("Payment"),
        choices=PAYMENT_CHOICES,
        initial="cash",
        widget=forms.RadioSelect,
    )
    cash_received = forms.DecimalField(
        label=_("Cash received"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_("Optional: the change to give is shown."),
    )
    promo_code = forms.CharField(
        label=_("Promo code"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    member_pass = forms.CharField(
        label=_("Friends pass (number)"),
        max_length=20,
        required=False,
        help_text=_("Optional: unlocks the member tariffs of this pass."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    voucher_code = forms.CharField(
        label=_("Gift voucher (code)"),
        max_length=20,
        required=False,
        help_text=_(
            "Optional: the voucher pays what it can; the rest is paid in cash or "
            "by card."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    reserved_for = forms.CharField(
        label=_("Reserve for (name)"), max_length=200, required=False
    )
    contact = forms.CharField(
        label=_("Phone or e-mail"), max_length=200, required=False
    )
    reserve_until = forms.DateTimeField(
        label=_("Keep until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )

    def __init__(self, data=None, *, tariffs, seated: bool, seat_ids, language):
        super().__init__(data)
        self.tariffs = tariffs
        self.chosen_customers = []  # the customer to show as chosen again
        self.seated = seated
        if seated:
            self.fields["seat"] = forms.TypedMultipleChoiceField(
                coerce=int, choices=[(i, i) for i in seat_ids], required=False
            )
            kinds = {}
            for tariff in tariffs:
                kinds.setdefault(tariff.kind, tariff_label(tariff, language, False))
            self.fields["kind"] = forms.ChoiceField(
                label=_("Tariff for the chosen seats"),
                choices=[(k, v.split(" · ")[0]) for k, v in kinds.items()],
            )
            self.fields["best_count"] = forms.IntegerField(
                label=_("Or best available: number of seats"),
                min_value=1,
                max_value=MAX_PER_LINE,
                required=False,
            )
            self.fields["best_tariff"] = forms.TypedChoiceField(
                label=_("Rank and tariff"),
                coerce=int,
                required=False,
                choices=[("", "—")]
                + [(t.pk, tariff_label(t, language, True)) for t in tariffs],
            )
        else:
            for position, tariff in enumerate(tariffs):
                attrs = {"inputmode": "numeric", "class": "count"}
                if position == 0:
                    attrs["autofocus"] = True  # the clerk types the count at once
                self.fields[f"tariff_{tariff.pk}"] = forms.IntegerField(
                    label=tariff_label(tariff, language, False),
                    min_value=0,
                    max_value=MAX_PER_LINE,
                    required=False,
                    widget=forms.NumberInput(attrs=attrs),
                )
        self.order_fields(
            [name for name in self.fields if name.startswith(("tariff_", "seat"))]
            + ["kind", "best_count", "best_tariff"]
        )

    def clean(self):
        data = super().clean()
        if self.seated:
            if not data.get("seat") and not (
                data.get("best_count") and data.get("best_tariff")
            ):
                raise forms.ValidationError(
                    _("Choose seats on the plan, or a number of best available seats.")
                )
        elif not any(data.get(f"tariff_{t.pk}") for t in self.tariffs):
            raise forms.ValidationError(_("Choose at least one ticket."))
        if (
            data.get("voucher_code", "").strip()
            and not self.reserving
            and data.get("provider") not in VOUCHER_PROVIDERS
        ):
            self.add_error(
                "voucher_code",
                _("With a gift voucher, the rest is paid in cash or by card."),
            )
        if self.reserving:
            if not data.get("reserved_for"):
                self.add_error("reserved_for", _("For whom are the places reserved?"))
            if not data.get("reserve_until"):
                self.add_error("reserve_until", _("Until when are they kept?"))
        return data

    @property
    def reserving(self) -> bool:
        return self.data.get("action") == "reserve"

    def counts(self) -> list[tuple[Tariff, int]]:
        return [
            (tariff, self.cleaned_data[f"tariff_{tariff.pk}"])
            for tariff in self.tariffs
            if self.cleaned_data.get(f"tariff_{tariff.pk}")
        ]

    def best_tariff(self) -> Tariff | None:
        wanted = self.cleaned_data.get("best_tariff")
        return next((t for t in self.tariffs if t.pk == wanted), None)


class ReservationSaleForm(OfficeForm):
    provider = forms.ChoiceField(
        label=_("Payment"), choices=PAYMENT_CHOICES[:3], initial="cash"
    )
    cash_received = forms.DecimalField(
        label=_("Cash received"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
    )
