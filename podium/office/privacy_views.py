"""GDPR at the office: the house's privacy settings and processing register, and a
customer's data export and erasure.

The export is the house's own part (`customer_house_export`): a house sees a
customer only through its own relation, so another house's orders, consents and
notes never leave through this office.
"""

import json

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.customers import selectors as customers
from podium.customers.privacy import privacy_settings_get, privacy_settings_update
from podium.sales.customer_data import customer_house_erase, customer_house_export
from podium.tenancy.permissions import Action

from .access import load, office_view
from .flow import posted, render, submitted
from .privacy_forms import CustomerEraseForm, PrivacySettingsForm

# The processing register (GDPR art. 30): what Podium processes for a house, on
# which ground, and how long it is kept. Static, but translated.
ACTIVITIES = [
    {
        "name": gettext_lazy("Ticket sales"),
        "data": gettext_lazy(
            "Name, e-mail address, optionally company and VAT number, the tickets "
            "bought and their payments."
        ),
        "basis": gettext_lazy("Contract"),
        "retention": gettext_lazy(
            "Amounts, VAT and dates: 7 years (accounting law). The person: until "
            "the retention below, or until erased."
        ),
    },
    {
        "name": gettext_lazy("Newsletter"),
        "data": gettext_lazy(
            "Name and e-mail address, the consent with time and source."
        ),
        "basis": gettext_lazy("Consent"),
        "retention": gettext_lazy("Until the customer withdraws the consent."),
    },
    {
        "name": gettext_lazy("Personalised suggestions"),
        "data": gettext_lazy("What the customer bought and kept on their wish list."),
        "basis": gettext_lazy("Consent"),
        "retention": gettext_lazy("Until the customer withdraws the consent."),
    },
    {
        "name": gettext_lazy("Box-office customers"),
        "data": gettext_lazy(
            "Name, e-mail address, phone and the house's own notes (e.g. access needs)."
        ),
        "basis": gettext_lazy("Legitimate interest"),
        "retention": gettext_lazy("Until the retention below, or until erased."),
    },
    {
        "name": gettext_lazy("Door scans"),
        "data": gettext_lazy("Which ticket entered where and when."),
        "basis": gettext_lazy("Contract"),
        "retention": gettext_lazy("Kept with the ticket; no personal data of its own."),
    },
]
PROCESSORS = [
    (gettext_lazy("Payment provider"), "Mollie B.V."),
    (
        gettext_lazy("E-mail delivery"),
        gettext_lazy("The e-mail provider of the platform"),
    ),
    (gettext_lazy("Hosting"), gettext_lazy("The hosting provider of the platform")),
]


@office_view(Action.PRIVACY_MANAGE)
def privacy(request):
    current = privacy_settings_get(house=request.house)
    form = PrivacySettingsForm(
        posted(request),
        initial={"customer_retention_years": current.customer_retention_years},
    )
    done = submitted(
        request,
        form,
        lambda data: privacy_settings_update(
            house=request.house, actor=request.user, **data
        ),
        _("The privacy settings were saved."),
    )
    if done:
        return redirect("office:privacy")
    return render(
        request,
        "privacy",
        form=form,
        settings=current,
        activities=ACTIVITIES,
        processors=PROCESSORS,
    )


@office_view(Action.CUSTOMER_VIEW)
def customer_export(request, pk):
    customer = load(customers.customer_get, house=request.house, pk=pk)
    data = load(customer_house_export, house=request.house, customer=customer)
    return render(request, "customer_export", customer=customer, data=data)


@office_view(Action.CUSTOMER_VIEW)
def customer_export_json(request, pk):
    customer = load(customers.customer_get, house=request.house, pk=pk)
    data = load(customer_house_export, house=request.house, customer=customer)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="customer-{customer.pk}.json"'
    )
    return response


@office_view(Action.CUSTOMER_ERASE)
def customer_erase(request, pk):
    customer = load(customers.customer_get, house=request.house, pk=pk)
    form = CustomerEraseForm(posted(request))
    done = submitted(
        request,
        form,
        lambda data: customer_house_erase(
            house=request.house, actor=request.user, customer=customer
        ),
        _("The customer was anonymised."),
    )
    if done:
        return redirect("office:customer-list")
    return render(request, "customer_erase", form=form, customer=customer)
