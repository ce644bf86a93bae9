"""The customer account's forms: they check the shape; the services decide.

Every field with an error points to it (`aria-invalid`, `aria-describedby` with the
id the template gives the error text: "<field id>-error"), and carries the
`autocomplete` token browsers and password managers need.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.customers.models import Consent


class AccessibleForm(forms.Form):
    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            self.mark_error(name)

    def mark_error(self, name: str | None) -> None:
        """Point the field's input to its help text and error text."""
        if name not in self.fields:
            return
        bound = self[name]
        described = [f"{bound.auto_id}_helptext"] if bound.help_text else []
        described.append(f"{bound.auto_id}-error")
        attrs = self.fields[name].widget.attrs
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = " ".join(described)


def _email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


class SignInForm(AccessibleForm):
    email = _email_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LinkRequestForm(AccessibleForm):
    """Only an e-mail address: for a sign-in link or a new password."""

    email = _email_field()


class SignUpForm(AccessibleForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = _email_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        help_text=_("At least 8 characters; not only digits, nor a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ProfileForm(AccessibleForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )


class EmailChangeForm(AccessibleForm):
    email = _email_field(
        help_text=_("We send a link to the new address to confirm it.")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "change")
        super().__init__(*args, **kwargs)


class PasswordForm(AccessibleForm):
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=4096,
        help_text=_("At least 8 characters; not only digits, nor a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, needs_current: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_current:
            del self.fields["current_password"]


class DeleteForm(AccessibleForm):
    confirm = forms.BooleanField(
        label=_(
            "I understand: my name, e-mail address, phone, preferences and wish list "
            "are deleted; the houses keep only the amounts of my orders for their "
            "accounts."
        ),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "delete")
        super().__init__(*args, **kwargs)


PURPOSES = (Consent.Purpose.NEWSLETTER, Consent.Purpose.SUGGESTIONS)


class PreferencesForm(forms.Form):
    """A checkbox per house of the cluster and purpose: `<purpose>_<house id>`."""

    def __init__(self, *args, houses, current: dict[tuple[int, str], bool], **kw):
        super().__init__(*args, **kw)
        self.houses = list(houses)
        for house in self.houses:
            for purpose in PURPOSES:
                self.fields[f"{purpose}_{house.pk}"] = forms.BooleanField(
                    label=purpose.label,
                    required=False,
                    initial=current.get((house.pk, purpose.value), False),
                )

    def rows(self):
        """(house, [bound fields]) per house, for the template."""
        return [
            (house, [self[f"{purpose}_{house.pk}"] for purpose in PURPOSES])
            for house in self.houses
        ]

    def choices(self):
        """(house, purpose, granted) for every checkbox."""
        return [
            (house, purpose.value, self.cleaned_data[f"{purpose}_{house.pk}"])
            for house in self.houses
            for purpose in PURPOSES
        ]
