"""The promo code form: shape only; the sales promo services decide the rules."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance, Production
from podium.core.i18n import localize
from podium.sales.models import PromoCode, Tariff

from .forms import DATETIME, OfficeForm, _checkboxes, model_field

FIELDS = (
    "code",
    "description",
    "kind",
    "value",
    "productions",
    "performances",
    "tariffs",
    "valid_from",
    "valid_until",
    "max_uses",
    "max_per_order",
    "is_active",
)


class _Productions(forms.ModelMultipleChoiceField):
    def label_from_instance(self, production: Production) -> str:
        return localize(production.title)


class _Performances(forms.ModelMultipleChoiceField):
    def label_from_instance(self, performance: Performance) -> str:
        moment = date_format(
            timezone.localtime(performance.starts_at), "SHORT_DATETIME_FORMAT"
        )
        return f"{localize(performance.production.title)} · {moment}"


class _Tariffs(forms.ModelMultipleChoiceField):
    def label_from_instance(self, tariff: Tariff) -> str:
        where = localize(tariff.production.title)
        if tariff.performance_id:
            moment = date_format(
                timezone.localtime(tariff.performance.starts_at),
                "SHORT_DATETIME_FORMAT",
            )
            where = f"{where} ({moment})"
        hidden = _(" · hidden") if tariff.requires_code else ""
        return f"{where} · {tariff} · € {tariff.price}{hidden}"


class PromoCodeForm(OfficeForm):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^\s*[A-Za-z0-9-]{3,40}\s*$",
        max_length=42,
        error_messages={
            "invalid": _(
                "Use 3 to 40 letters, digits or hyphens (no spaces or accents)."
            )
        },
        help_text=_("What visitors type, e.g. ZOMER10; upper or lower case alike."),
    )
    description = model_field(PromoCode, "description")
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=PromoCode.Kind.choices,
        initial=PromoCode.Kind.PERCENT,
        widget=forms.RadioSelect,
    )
    value = forms.DecimalField(
        label=_("Value"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
        help_text=_(
            "The percentage (0 to 100) or the amount in euro off each ticket; "
            "not used by a code that unlocks hidden tariffs."
        ),
    )
    productions = _Productions(
        label=_("Productions"),
        queryset=Production.objects.none(),
        required=False,
        widget=_checkboxes(),
    )
    performances = _Performances(
        label=_("Performances"),
        queryset=Performance.objects.none(),
        required=False,
        widget=_checkboxes(),
    )
    tariffs = _Tariffs(
        label=_("Tariffs"),
        queryset=Tariff.objects.none(),
        required=False,
        widget=_checkboxes(),
        help_text=_(
            "Tick nothing in a list to leave it open; a ticket must fit every list "
            "with ticks. Nothing ticked anywhere: everything of the house."
        ),
    )
    valid_from = forms.DateTimeField(
        label=_("Valid from"), required=False, widget=DATETIME
    )
    valid_until = forms.DateTimeField(
        label=_("Valid until"), required=False, widget=DATETIME
    )
    max_uses = forms.IntegerField(
        label=_("Maximum number of orders"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    max_per_order = forms.IntegerField(
        label=_("Maximum tickets per order"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Discounted tickets per order; the rest is at the normal price."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, choices, promo: PromoCode | None = None, **kwargs):
        if promo is not None:
            initial = {name: getattr(promo, name) for name in FIELDS}
            for name in ("productions", "performances", "tariffs"):
                initial[name] = list(getattr(promo, name).all())
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["productions"].queryset = choices.productions
        self.fields["performances"].queryset = choices.performances
        self.fields["tariffs"].queryset = choices.tariffs

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        data = super().clean()
        value = data.get("value")
        if (
            data.get("kind") == PromoCode.Kind.PERCENT
            and value is not None
            and value > 100
        ):
            self.add_error("value", _("A percentage is at most 100."))
        return data
