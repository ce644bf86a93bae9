"""Translatable content: one JSON object per field, {"nl": ..., "fr": ..., "en": ...}.

Staff enter a house's content once, in as many of the three languages as they have;
`localize` picks the visitor's language and falls back to the others in a fixed order.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .sanitize import clean_html

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def localize(value: dict | str | None, language: str | None = None) -> str:
    """The text in `language` (default: the active one), else the first one filled."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    wanted = language or translation.get_language() or settings.LANGUAGE_CODE
    wanted = wanted.split("-")[0]
    for code in [wanted, *LANGUAGE_CODES]:
        text = value.get(code)
        if text:
            return text
    return next((text for text in value.values() if text), "")


def clean_translations(value: dict | None, *, rich: bool = False) -> dict:
    """Keep only known languages with text, stripped (and sanitised when rich)."""
    cleaned = {}
    for code in LANGUAGE_CODES:
        text = ((value or {}).get(code) or "").strip()
        if rich:
            text = clean_html(text)
        if text:
            cleaned[code] = text
    return cleaned


class I18nField(models.JSONField):
    """A translatable text; `rich=True` keeps a sanitised subset of HTML."""

    def __init__(
        self,
        *args,
        rich: bool = False,
        multiline: bool = False,
        max_length: int | None = None,
        **kwargs,
    ):
        self.rich = rich
        self.multiline = multiline or rich
        self.text_max_length = max_length  # per language
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.rich:
            kwargs["rich"] = True
        if self.multiline and not self.rich:
            kwargs["multiline"] = True
        if self.text_max_length:
            kwargs["max_length"] = self.text_max_length
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        limit = self.text_max_length
        for code, text in (value or {}).items():
            if limit and isinstance(text, str) and len(text) > limit:
                raise ValidationError(
                    _("At most %(limit)s characters (%(language)s has %(count)s).")
                    % {"limit": limit, "language": code.upper(), "count": len(text)},
                    code="max_length",
                )

    def formfield(self, **kwargs):
        return I18nFormField(
            label=kwargs.get("label", capfirst(self.verbose_name)),
            required=not self.blank,
            help_text=self.help_text,
            multiline=self.multiline,
            rich=self.rich,
            max_length=self.text_max_length,
        )


class I18nWidget(forms.MultiWidget):
    template_name = "core/widgets/i18n.html"

    def __init__(self, multiline: bool = False, attrs=None):
        base = forms.Textarea(attrs={"rows": 6}) if multiline else forms.TextInput()
        widgets = {code: type(base)(attrs=dict(base.attrs)) for code in LANGUAGE_CODES}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code in LANGUAGE_CODES]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, sub in zip(
            LANGUAGE_CODES, context["widget"]["subwidgets"], strict=True
        ):
            sub["language"] = code
            sub["language_name"] = names[code]
            sub["attrs"]["lang"] = code
        return context


class I18nFormField(forms.MultiValueField):
    """One input per language; required means at least one language is filled."""

    def __init__(
        self, *, multiline=False, rich=False, required=True, max_length=None, **kwargs
    ):
        self.rich = rich
        fields = [
            forms.CharField(required=False, max_length=max_length)
            for _code in LANGUAGE_CODES
        ]
        super().__init__(
            fields=fields,
            widget=I18nWidget(multiline=multiline),
            require_all_fields=False,
            required=False,
            **kwargs,
        )
        self.needs_text = required

    def compress(self, data_list):
        return clean_translations(
            dict(zip(LANGUAGE_CODES, data_list or [], strict=False)), rich=self.rich
        )

    def clean(self, value):
        result = super().clean(value)
        if self.needs_text and not result:
            raise ValidationError(
                _("Fill this in, in at least one language."), code="required"
            )
        return result
