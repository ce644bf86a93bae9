"""Forms of the friends pass screens: pass types, the members' search and the
desk sale. They check the shape of the input; the passes services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Production
from podium.core.i18n import localize
from podium.passes.models import MembershipType

from .desk_forms import PAYMENT_CHOICES
from .forms import OfficeForm, _checkboxes, model_field

# A pass is paid on the spot at the desk.
PASS_PAYMENT_CHOICES = [c for c in PAYMENT_CHOICES if c[0] in ("cash", "card_terminal")]


class ProductionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, production: Production) -> str:
        return localize(production.title)


class MembershipTypeForm(OfficeForm):
    name = model_field(MembershipType, "name")
    description = model_field(MembershipType, "description")
    price = model_field(MembershipType, "price")
    vat_rate = model_field(MembershipType, "vat_rate")
    validity_months = model_field(MembershipType, "validity_months")
    productions = ProductionChoiceField(
        label=_("Member tariff on these productions"),
        queryset=Production.objects.none(),
        required=False,
        widget=_checkboxes(),
        help_text=_("Choose none for every production of the house."),
    )
    early_access_days = model_field(MembershipType, "early_access_days")
    max_tickets_per_performance = model_field(
        MembershipType,
        "max_tickets_per_performance",
        help_text=_("Leave empty for no maximum."),
    )
    sold_online = model_field(MembershipType, "sold_online")
    is_active = model_field(MembershipType, "is_active")

    def __init__(self, *args, productions, type: MembershipType | None = None, **kw):
        if type is not None:
            kw.setdefault("initial", self.initial_for(type))
        super().__init__(*args, **kw)
        self.fields["productions"].queryset = productions

    @staticmethod
    def initial_for(type_: MembershipType) -> dict:
        names = [n for n in MembershipTypeForm.base_fields if n != "productions"]
        initial = {name: getattr(type_, name) for name in names}
        initial["productions"] = list(type_.productions.all())
        return initial


class MembershipSearchForm(OfficeForm):
    q = forms.CharField(
        label=_("Number, name or e-mail"), max_length=100, required=False
    )
    active = forms.BooleanField(label=_("Active only"), required=False)


class MembershipSaleForm(OfficeForm):
    type = forms.ModelChoiceField(
        label=_("Friends pass"),
        queryset=MembershipType.objects.none(),
        empty_label=None,
    )
    holder_name = forms.CharField(label=_("Name"), max_length=200)
    holder_email = forms.EmailField(label=_("E-mail"))
    provider = forms.ChoiceField(
        label=_("Payment"),
        choices=PASS_PAYMENT_CHOICES,
        initial="cash",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types
        self.fields["type"].label_from_instance = lambda t: (
            f"{localize(t.name)} · € {t.price}"
        )
