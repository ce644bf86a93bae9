"""Customers at the office: find, create in one line, edit, notes, and the look-up
the box-office sale uses. A house sees only the customers it knows."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.customers import selectors as customers
from podium.customers.privacy import consent_history, consents_of_house
from podium.customers.services import (
    customer_from_line,
    customer_note_add,
    customer_update,
)
from podium.passes.memberships import memberships_of_customer
from podium.tenancy.permissions import Action

from . import customer_forms as forms
from .access import load, office_view
from .flow import posted, render, submitted

LOOKUP_LIMIT = 8
LOOKUP_MIN_LENGTH = 2


@office_view(Action.CUSTOMER_VIEW)
def customer_list(request):
    form = forms.CustomerSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        "customer_list",
        form=form,
        query=query,
        results=customers.customer_search(house=request.house, query=query),
        line_form=forms.CustomerLineForm(),
    )


@office_view(Action.CUSTOMER_VIEW)
def customer_lookup(request):
    """The matches for the desk's customer field, as a fragment of radio buttons."""
    query = request.GET.get("q", "")[:200].strip()
    if len(query) < LOOKUP_MIN_LENGTH:
        return HttpResponse("")
    found = customers.customer_search(
        house=request.house, query=query, limit=LOOKUP_LIMIT
    )
    return render(request, "customer_lookup", customers=found, query=query)


def _created(customer) -> str:
    if getattr(customer, "linked_existing", False):
        return _(
            "%(name)s already was a customer in the cluster with this e-mail "
            "address; your house now knows them too."
        ) % {"name": customer.name}
    return _("Customer %(name)s was added.") % {"name": customer.name}


@office_view(Action.CUSTOMER_MANAGE)
def customer_create(request):
    form = forms.CustomerLineForm(posted(request))
    done = submitted(
        request,
        form,
        lambda data: customer_from_line(
            house=request.house, actor=request.user, line=data["line"]
        ),
        _created,
    )
    if done:
        return redirect("office:customer-detail", pk=done.result.pk)
    return render(request, "customer_create", form=form)


def _detail(request, customer, note_form=None, status=200):
    response = render(
        request,
        "customer_detail",
        customer=customer,
        orders=customers.customer_orders(house=request.house, customer=customer),
        notes=customers.customer_notes(house=request.house, customer=customer),
        consents=consents_of_house(house=request.house, customer=customer),
        memberships=memberships_of_customer(
            customer=customer, houses=[request.house], with_cancelled=True
        ),
        consent_history=consent_history(house=request.house, customer=customer),
        note_form=note_form or forms.CustomerNoteForm(),
    )
    response.status_code = status
    return response


@office_view(Action.CUSTOMER_VIEW)
def customer_detail(request, pk):
    customer = load(customers.customer_get, house=request.house, pk=pk)
    return _detail(request, customer)


@office_view(Action.CUSTOMER_MANAGE)
def customer_edit(request, pk):
    customer = load(customers.customer_get, house=request.house, pk=pk)
    initial = {"name": customer.name, "email": customer.email, "phone": customer.phone}
    form = forms.CustomerForm(posted(request), initial=initial)
    done = submitted(
        request,
        form,
        lambda data: customer_update(
            house=request.house, actor=request.user, customer=customer, **data
        ),
        _("The customer's details were saved."),
    )
    if done:
        return redirect("office:customer-detail", pk=customer.pk)
    return render(request, "customer_edit", form=form, customer=customer)


@office_view(Action.CUSTOMER_MANAGE)
@require_POST
def customer_note_add_view(request, pk):
    customer = load(customers.customer_get, house=request.house, pk=pk)
    form = forms.CustomerNoteForm(request.POST)
    done = submitted(
        request,
        form,
        lambda data: customer_note_add(
            house=request.house, actor=request.user, customer=customer, **data
        ),
        _("The note was added."),
    )
    if done:
        return redirect("office:customer-detail", pk=customer.pk)
    return _detail(request, customer, note_form=form, status=400)
