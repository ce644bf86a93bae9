"""Forms of the gift voucher screens: the search and the desk sale. They check the
shape of the input; the passes services decide (the value's range, say)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.passes.vouchers import MAX_VALUE, MIN_VALUE

from .desk_forms import PAYMENT_CHOICES
from .forms import OfficeForm

# A voucher is paid on the spot at the desk.
VOUCHER_PAYMENT_CHOICES = [
    c for c in PAYMENT_CHOICES if c[0] in ("cash", "card_terminal")
]


class VoucherSearchForm(OfficeForm):
    q = forms.CharField(label=_("Code or name"), max_length=100, required=False)


class VoucherSaleForm(OfficeForm):
    value = forms.DecimalField(
        label=_("Value (EUR)"),
        min_value=MIN_VALUE,
        max_value=MAX_VALUE,
        max_digits=8,
        decimal_places=2,
        localize=True,  # "25,00" as a Dutch clerk types it
    )
    buyer_name = forms.CharField(label=_("Buyer's name"), max_length=200)
    buyer_email = forms.EmailField(
        label=_("Buyer's e-mail"),
        help_text=_("The voucher is mailed to this address as a PDF."),
    )
    recipient_name = forms.CharField(
        label=_("For (recipient)"), max_length=200, required=False
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    provider = forms.ChoiceField(
        label=_("Payment"),
        choices=VOUCHER_PAYMENT_CHOICES,
        initial="cash",
        widget=forms.RadioSelect,
    )
