"""Forms of the sales screens: prices, quotas, orders. Shape only; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.sales.models import PriceCategory, Quota, Tariff, Ticket

from .forms import DATETIME, OfficeForm, _checkboxes, model_field

TARIFF_FIELDS = (
    "category",
    "kind",
    "name",
    "price",
    "vat_rate",
    "requires_proof",
    "box_office_only",
    "requires_code",
    "available_from",
    "available_until",
    "min_per_order",
    "max_per_order",
    "is_active",
)


class PriceCategoryForm(OfficeForm):
    name = model_field(PriceCategory, "name")
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=999,
        initial=0,
        help_text=_("Categories are listed from the lowest number up."),
    )


class TariffForm(OfficeForm):
    category = forms.ModelChoiceField(
        label=_("Price category"), queryset=PriceCategory.objects.none()
    )
    kind = model_field(Tariff, "kind")
    name = model_field(Tariff, "name")
    price = model_field(Tariff, "price", min_value=0)
    vat_rate = model_field(Tariff, "vat_rate")
    requires_proof = model_field(Tariff, "requires_proof")
    box_office_only = model_field(Tariff, "box_office_only")
    requires_code = model_field(
        Tariff,
        "requires_code",
        help_text=_(
            "Not listed in the shop or the API; sold online only with a promo code "
            "that unlocks it. The box office sells it as usual."
        ),
    )
    available_from = model_field(Tariff, "available_from", widget=DATETIME)
    available_until = model_field(Tariff, "available_until", widget=DATETIME)
    min_per_order = model_field(Tariff, "min_per_order")
    max_per_order = model_field(Tariff, "max_per_order")
    is_active = model_field(Tariff, "is_active")

    def __init__(self, *args, categories, tariff: Tariff | None = None, **kwargs):
        if tariff is not None:
            kwargs.setdefault(
                "initial", {name: getattr(tariff, name) for name in TARIFF_FIELDS}
            )
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["name"].help_text = _(
            "Leave empty to show the kind, e.g. “Under 26”."
        )
        self.fields["price"].help_text = _("In euro, VAT included.")


class QuotaForm(OfficeForm):
    name = model_field(Quota, "name")
    size = forms.IntegerField(label=_("Size"), min_value=0)
    categories = forms.ModelMultipleChoiceField(
        label=_("Price categories"),
        queryset=PriceCategory.objects.none(),
        required=False,
        widget=_checkboxes(),
        help_text=_("Tick none to let this quota count every category."),
    )

    def __init__(self, *args, categories, quota: Quota | None = None, **kwargs):
        if quota is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": quota.name,
                    "size": quota.size,
                    "categories": list(quota.categories.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = categories


class OrderSearchForm(forms.Form):
    # A scanned ticket code (PD1.…) is about 190 characters long.
    q = forms.CharField(
        label=_("Order code, name, e-mail address or ticket code"),
        max_length=500,
        required=False,
        help_text=_(
            "Or scan a ticket with a handheld scanner: it types the code and Enter."
        ),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class ReasonForm(OfficeForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("Kept with the order's history."),
    )


class TicketChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, ticket: Ticket) -> str:
        return _("Ticket %(number)s: %(tariff)s, %(price)s EUR") % {
            "number": ticket.pk,
            "tariff": ticket.tariff,
            "price": ticket.price,
        }


class RefundForm(ReasonForm):
    tickets = TicketChoiceField(
        label=_("Tickets to refund"),
        queryset=Ticket.objects.none(),
        widget=_checkboxes(),
    )

    def __init__(self, *args, tickets, **kwargs):
        kwargs.setdefault("initial", {"tickets": list(tickets)})
        super().__init__(*args, **kwargs)
        self.fields["tickets"].queryset = tickets
        self.order_fields(["tickets", "reason"])


class PerformanceCancelForm(OfficeForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the history; the buyers get a standard message."),
    )
