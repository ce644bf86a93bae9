"""Forms of the subscription screens: types, tariffs, kept capacity and the desk sale.

They check the shape of the input; the passes services decide the rules.
"""

import copy
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.i18n import localize
from podium.passes.models import SubscriptionTariff, SubscriptionType

from .desk_forms import DeskSaleForm
from .forms import DATETIME, OfficeForm, _checkboxes, model_field

MAX_PEOPLE = 50
STEP_LINE = re.compile(r"^\s*(\d+)\s*[:=]\s*€?\s*(\d+(?:[.,]\d{1,2})?)\s*$")


def performance_label(performance: Performance) -> str:
    moment = date_format(
        timezone.localtime(performance.starts_at), "SHORT_DATETIME_FORMAT"
    )
    return f"{localize(performance.production.title)} · {moment}"


class PerformanceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, performance: Performance) -> str:
        return performance_label(performance)


def parse_steps(text: str) -> dict[int, Decimal]:
    """ "count: price" per line → {count: price}; a ValidationError names the line."""
    steps: dict[int, Decimal] = {}
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = STEP_LINE.match(line)
        if match is None:
            errors.append(
                _("Line %(number)s: write “count: price”, e.g. “5: 15.00”.")
                % {"number": number}
            )
            continue
        count = int(match[1])
        try:
            price = Decimal(match[2].replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern allows digits only
            errors.append(_("Line %(number)s: not a price.") % {"number": number})
            continue
        if count < 1:
            errors.append(
                _("Line %(number)s: the count starts at 1.") % {"number": number}
            )
        elif count in steps:
            errors.append(
                _(
                    "Line %(number)s: the step from performance %(count)s is given twice."
                )
                % {"number": number, "count": count}
            )
        else:
            steps[count] = price
    if errors:
        raise forms.ValidationError(errors)
    if steps and min(steps) != 1:
        raise forms.ValidationError(
            _("The first step must start at performance 1 (“1: price”).")
        )
    return steps


def steps_text(type_: SubscriptionType) -> str:
    return "\n".join(f"{step.count}: {step.price}" for step in type_.steps.all())


class SubscriptionTypeForm(OfficeForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SubscriptionType.Kind.choices,
        initial=SubscriptionType.Kind.FIXED,
        widget=forms.RadioSelect,
    )
    name = model_field(SubscriptionType, "name")
    description = model_field(SubscriptionType, "description")
    performances = PerformanceChoiceField(
        label=_("Performances"),
        queryset=Performance.objects.none(),
        widget=_checkboxes(),
        help_text=_("The fixed series, or the list a free choice is made from."),
    )
    min_choices = forms.IntegerField(
        label=_("At least (performances)"),
        min_value=1,
        max_value=200,
        required=False,
        help_text=_("Free choice only."),
    )
    max_choices = forms.IntegerField(
        label=_("At most (performances)"),
        min_value=1,
        max_value=200,
        required=False,
        help_text=_("Free choice only; leave empty for no maximum."),
    )
    price = forms.DecimalField(
        label=_("Price of the series incl. VAT"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Fixed series only: the price for one person."),
    )
    discount_percent = forms.DecimalField(
        label=_("Discount per ticket (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("Free choice: a discount on each ticket's full price, or…"),
    )
    steps = forms.CharField(
        label=_("Price steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "…free choice: one step per line, “from performance: price per ticket”, "
            "e.g. “1: 18.00” and “5: 15.00”."
        ),
    )
    same_seat = forms.BooleanField(
        label=_("Same seat for every performance"),
        required=False,
        help_text=_("Fixed series sold by seat on one seat plan."),
    )
    sales_from = forms.DateTimeField(
        label=_("On sale from"), required=False, widget=DATETIME
    )
    sales_until = forms.DateTimeField(
        label=_("On sale until"), required=False, widget=DATETIME
    )
    max_per_customer = forms.IntegerField(
        label=_("Maximum per customer"), min_value=1, max_value=999, required=False
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def __init__(self, *args, performances, type: SubscriptionType | None = None, **kw):
        if type is not None:
            kw.setdefault("initial", self.initial_for(type))
        super().__init__(*args, **kw)
        self.fields["performances"].queryset = performances
        self.editing = type is not None
        if type is not None:
            self.fields["kind"].disabled = True  # a type keeps its kind

    @staticmethod
    def initial_for(type_: SubscriptionType) -> dict:
        names = [n for n in SubscriptionTypeForm.base_fields if n != "steps"]
        initial = {name: getattr(type_, name) for name in names}
        initial["performances"] = list(type_.performances.all())
        initial["steps"] = steps_text(type_)
        return initial

    def clean_steps(self):
        text = self.cleaned_data.get("steps", "")
        return parse_steps(text) if text.strip() else None

    def clean(self):
        data = super().clean()
        if data.get("kind") == SubscriptionType.Kind.FIXED:
            self._clean_fixed(data)
        elif data.get("kind") == SubscriptionType.Kind.CHOICE:
            self._clean_choice(data)
        return data

    def _clean_fixed(self, data) -> None:
        if data.get("price") is None and "price" not in self.errors:
            self.add_error("price", _("A fixed series needs a price."))
        for name in ("discount_percent", "steps"):
            if data.get(name) is not None:
                self.add_error(
                    name, _("A fixed series has one price, not a price per ticket.")
                )
        data["min_choices"] = data["max_choices"] = None

    def _clean_choice(self, data) -> None:
        low, high = data.get("min_choices"), data.get("max_choices")
        if low is None and "min_choices" not in self.errors:
            self.add_error(
                "min_choices", _("Say how many performances must be chosen.")
            )
        if low and high and low > high:
            self.add_error("max_choices", _("The maximum cannot be below the minimum."))
        if data.get("price") is not None:
            self.add_error(
                "price",
                _("A free choice has no series price: give a discount or steps."),
            )
        if data.get("same_seat"):
            self.add_error("same_seat", _("Only a fixed series keeps the same seat."))
        discount, steps = data.get("discount_percent"), data.get("steps")
        if discount is not None and steps:
            self.add_error("steps", _("Give a discount or price steps, not both."))
        elif discount is None and not steps and "steps" not in self.errors:
            self.add_error(
                "discount_percent", _("Give a discount per ticket or the price steps.")
            )

    def service_kwargs(self) -> dict:
        """The arguments of subscription_type_create / _update."""
        data = dict(self.cleaned_data)
        if self.editing:
            data.pop("kind")  # a type keeps its kind
        return data


class SubscriptionTariffForm(OfficeForm):
    name = model_field(SubscriptionTariff, "name")
    factor = forms.DecimalField(
        label=_("Price factor"),
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
        initial=Decimal("1"),
        help_text=_("1 is the full subscription price; 0.8 takes a fifth off."),
    )
    price = forms.DecimalField(
        label=_("Own price of the series incl. VAT"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Fixed series only: replaces the price times the factor."),
    )
    requires_proof = forms.BooleanField(
        label=_("Proof required at the door"), required=False
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)


class CapacityForm(OfficeForm):
    """Per performance of a type: the places kept for subscriptions."""

    def __init__(self, *args, performances, kept: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for performance in performances:
            quota = kept.get(performance.pk)
            name = f"kept_{performance.pk}"
            self.fields[name] = forms.IntegerField(
                label=performance_label(performance),
                min_value=0,
                max_value=100_000,
                required=False,
                initial=quota.size if quota else None,
                help_text=(_("%(used)s used") % {"used": quota.used} if quota else ""),
            )
            self.rows.append((performance, quota, name))

    def sizes(self) -> dict[int, int]:
        """{performance id: size} for the performances given a number."""
        return {
            performance.pk: self.cleaned_data[name]
            for performance, _quota, name in self.rows
            if self.cleaned_data.get(name) is not None
        }


def _desk(name: str) -> forms.Field:
    """A field of the desk's sale form, shared so both sell alike."""
    return copy.deepcopy(DeskSaleForm.base_fields[name])


class SubscriptionSaleForm(OfficeForm):
    tariff = forms.TypedChoiceField(label=_("Tariff"), coerce=int, required=False)
    quantity = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=MAX_PEOPLE, initial=1
    )
    provider = _desk("provider")
    cash_received = _desk("cash_received")
    customer = _desk("customer")
    customer_line = _desk("customer_line")
    buyer_name = _desk("buyer_name")
    buyer_email = _desk("buyer_email")
    send_confirmation = _desk("send_confirmation")

    def __init__(self, *args, type: SubscriptionType, tariffs, performances, **kw):
        super().__init__(*args, **kw)
        self.chosen_customers = []  # the customer to show as chosen again
        self.tariffs = {tariff.pk: tariff for tariff in tariffs}
        self.fields["tariff"].choices = [("", _("Standard"))] + [
            (tariff.pk, localize(tariff.name)) for tariff in tariffs
        ]
        self.choosing = type.kind == SubscriptionType.Kind.CHOICE
        if self.choosing:
            self.fields["performances"] = forms.TypedMultipleChoiceField(
                label=_("Performances"),
                coerce=int,
                choices=[(p.pk, performance_label(p)) for p in performances],
                widget=_checkboxes(),
            )
            self.order_fields(["tariff", "performances", "quantity"])

    def chosen_tariff(self) -> SubscriptionTariff | None:
        return self.tariffs.get(self.cleaned_data.get("tariff"))

    def performance_ids(self) -> list[int]:
        return list(self.cleaned_data.get("performances", []))

    @property
    def quoting(self) -> bool:
        return self.data.get("action") == "quote"
