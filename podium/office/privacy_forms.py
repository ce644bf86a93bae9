"""Forms of the audit log and the privacy pages (shape only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import OfficeForm

AUDIT_GROUPS = [
    ("", _("All")),
    ("orders", _("Orders")),
    ("payments", _("Payments")),
    ("refunds", _("Refunds")),
    ("prices", _("Prices and capacity")),
    ("performances", _("Productions and performances")),
    ("seating", _("Seating")),
    ("staff", _("Staff, permissions and keys")),
    ("customers", _("Customers")),
    ("checkin", _("Check-in")),
    ("waiting_rooms", _("Waiting rooms")),
]


class AuditFilterForm(OfficeForm):
    group = forms.ChoiceField(label=_("What"), choices=AUDIT_GROUPS, required=False)
    actor = forms.CharField(
        label=_("Who"),
        max_length=150,
        required=False,
        help_text=_("A user name or part of an API key's name."),
    )
    object = forms.CharField(
        label=_("Object"),
        max_length=100,
        required=False,
        help_text=_(
            "A kind and a number, e.g. “order ABC123”, “performance 12” or "
            "“production 5”."
        ),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end comes before the start."))
        return data


class PrivacySettingsForm(OfficeForm):
    customer_retention_years = forms.IntegerField(
        label=_("Anonymise customers inactive for (years)"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_(
            "Leave empty to keep customers until they ask to be erased. A customer "
            "other houses of the cluster also know is only anonymised when each of "
            "them would allow it."
        ),
    )


class CustomerEraseForm(OfficeForm):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."), required=True
    )
