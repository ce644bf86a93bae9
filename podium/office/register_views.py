"""The cash register (kassa): a day's box-office takings, and closing one's drawer."""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.sales.services.register import (
    register_close,
    register_closing_list,
    register_day_report,
    register_today,
)
from podium.tenancy.permissions import Action

from .access import office_view
from .flow import posted, render, submitted
from .forms import DATE, OfficeForm


class RegisterCloseForm(OfficeForm):
    day = forms.DateField(
        label=gettext_lazy("Day"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("Empty: today."),
    )
    counted_cash = forms.DecimalField(
        label=gettext_lazy("Cash counted (EUR)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required when the count differs from what is expected."
        ),
    )


def _day(request) -> date:
    """?day=YYYY-MM-DD, or today in the house's time zone (with a message if bad)."""
    today = register_today(house=request.house)
    raw = request.GET.get("day", "").strip()
    if not raw:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        messages.error(
            request,
            _("“%(day)s” is not a day; use YYYY-MM-DD. Showing today instead.")
            % {"day": raw[:20]},
        )
        return today


def _euro(amount) -> str:
    return "€ " + number_format(amount, 2, use_l10n=True)


@office_view(Action.SALES_SELL)
def register_day(request):
    house, day = request.house, _day(request)
    closings = register_closing_list(house=house, day=day)
    return render(
        request,
        "register_day",
        day=day,
        today=register_today(house=house),
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        sections=[
            (
                _("My sales"),
                register_day_report(house=house, day=day, user=request.user),
                _("My sales per payment method"),
            ),
            (
                _("The whole house"),
                register_day_report(house=house, day=day),
                _("Sales of the whole house per payment method"),
            ),
        ],
        closings=closings,
        closed=any(closing.user_id == request.user.pk for closing in closings),
    )


def _closed_message(closing) -> str:
    return _(
        "Register closed: %(counted)s counted, %(expected)s expected, "
        "difference %(difference)s."
    ) % {
        "counted": _euro(closing.counted_cash),
        "expected": _euro(closing.expected_cash),
        "difference": _euro(closing.difference),
    }


@office_view(Action.SALES_SELL)
def register_close_page(request):
    house = request.house
    form = RegisterCloseForm(posted(request), initial={"day": _day(request)})
    done = submitted(
        request,
        form,
        lambda data: register_close(
            house=house,
            actor=request.user,
            day=data["day"] or register_today(house=house),
            counted_cash=data["counted_cash"],
            note=data["note"],
        ),
        _closed_message,
    )
    if done:
        url = reverse("office:register-day")
        return redirect(f"{url}?{urlencode({'day': done.result.day.isoformat()})}")
    day = (form.is_bound and form.is_valid() and form.cleaned_data["day"]) or (
        form.initial["day"]
    )
    report = register_day_report(house=house, day=day, user=request.user)
    return render(request, "register_close", form=form, day=day, report=report)
