"""Forms of the order desk: exchange tickets, put a ticket in another name. Shape only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.sales.models import Tariff, Ticket

from .desk_forms import tariff_label
from .forms import OfficeForm, _checkboxes

PAYMENT_METHODS = [("cash", _("Cash")), ("card_terminal", _("Card terminal"))]
REFUND_METHODS = [
    ("cash", _("Cash back at the desk")),
    ("original", _("Back to the original payment")),
]
MAX_SEATS = 50


class ExchangeTicketField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, ticket: Ticket) -> str:
        return _("Ticket %(number)s: %(tariff)s, %(price)s EUR") % {
            "number": ticket.pk,
            "tariff": ticket.tariff,
            "price": ticket.price,
        }


class ExchangeForm(OfficeForm):
    """Which tickets, their new places (tariff per ticket, or seats) and the money."""

    tickets = ExchangeTicketField(
        label=_("Tickets to exchange"),
        queryset=Ticket.objects.none(),
        widget=_checkboxes(),
    )
    payment_method = forms.ChoiceField(
        label=_("More to pay: paid by"),
        choices=PAYMENT_METHODS,
        initial="cash",
        widget=forms.RadioSelect,
    )
    refund_method = forms.ChoiceField(
        label=_("Less to pay: paid back by"),
        choices=REFUND_METHODS,
        initial="cash",
        widget=forms.RadioSelect,
    )
    basket = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data=None,
        *,
        tickets,
        tariffs: list[Tariff],
        defaults: dict[int, Tariff | None],
        seated: bool,
        seat_ids=(),
        language: str = "nl",
    ):
        super().__init__(data, initial={"tickets": list(tickets)})
        self.fields["tickets"].queryset = tickets
        self.tariffs = {tariff.pk: tariff for tariff in tariffs}
        self.seated = seated
        choices = [("", "—")] + [
            (t.pk, tariff_label(t, language, True)) for t in tariffs
        ]
        if seated:
            self.fields["seat"] = forms.TypedMultipleChoiceField(
                coerce=int, choices=[(i, i) for i in seat_ids], required=False
            )
            kinds = {}
            for tariff in tariffs:
                kinds.setdefault(tariff.kind, tariff.get_kind_display())
            self.fields["kind"] = forms.ChoiceField(
                label=_("Tariff for the chosen seats"),
                choices=list(kinds.items()),
                required=False,
            )
            self.fields["best_tariff"] = forms.TypedChoiceField(
                label=_("Or best available, at"),
                coerce=int,
                required=False,
                choices=choices,
            )
        else:
            for ticket in tickets:
                default = defaults.get(ticket.pk)
                self.fields[f"tariff_{ticket.pk}"] = forms.TypedChoiceField(
                    label=_("New tariff for ticket %(number)s") % {"number": ticket.pk},
                    coerce=int,
                    required=False,
                    choices=choices,
                    initial=default.pk if default else "",
                )

    def clean(self):
        data = super().clean()
        if self.seated and not data.get("basket"):
            if not data.get("seat") and not data.get("best_tariff"):
                raise forms.ValidationError(
                    _("Choose seats on the plan, or a tariff for the best available.")
                )
            if data.get("seat") and len(data["seat"]) != len(data.get("tickets", [])):
                raise forms.ValidationError(
                    _("Choose as many seats as tickets to exchange.")
                )
        return data

    def ticket_tariffs(self) -> dict[int, Tariff]:
        """The tariff chosen per old ticket id (general admission)."""
        chosen = {}
        for ticket in self.cleaned_data["tickets"]:
            tariff = self.tariffs.get(self.cleaned_data.get(f"tariff_{ticket.pk}"))
            if tariff is not None:
                chosen[ticket.pk] = tariff
        return chosen

    def tariff_fields(self):
        return [self[name] for name in self.fields if name.startswith("tariff_")]

    def best_tariff(self) -> Tariff | None:
        return self.tariffs.get(self.cleaned_data.get("best_tariff"))


class HolderForm(OfficeForm):
    name = forms.CharField(
        label=_("Name on the ticket"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to print the buyer's name."),
    )
