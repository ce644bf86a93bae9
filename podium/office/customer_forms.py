"""Customer forms: search, one-line creation, edit and notes (shape only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import OfficeForm

LINE_HELP = _(
    "Name, e-mail and phone in one line, in any order, "
    "e.g. “Jan Peeters, jan@example.be, 0470 12 34 56”. "
    "Only the name is required."
)


class CustomerSearchForm(OfficeForm):
    q = forms.CharField(
        label=_("Find a customer: name, e-mail or phone"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class CustomerLineForm(OfficeForm):
    line = forms.CharField(
        label=_("New customer"),
        max_length=300,
        help_text=LINE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class CustomerForm(OfficeForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


class CustomerNoteForm(OfficeForm):
    text = forms.CharField(
        label=_("New note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only your house sees its notes."),
    )
