import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from podium.core.i18n import I18nField, I18nFormField, clean_translations, localize

ALL = {"nl": "Hallo", "fr": "Bonjour", "en": "Hello"}


@pytest.mark.parametrize(
    ("active", "value", "expected"),
    [
        ("fr", ALL, "Bonjour"),
        ("en", ALL, "Hello"),
        ("nl-be", ALL, "Hallo"),
        # the active language is missing: nl, then fr, then en
        ("en", {"fr": "Bonjour", "nl": "Hallo"}, "Hallo"),
        ("nl", {"en": "Hello", "fr": "Bonjour"}, "Bonjour"),
        ("fr", {"en": "Hello"}, "Hello"),
        ("de", ALL, "Hallo"),
        # an empty text does not count as filled
        ("fr", {"fr": "", "nl": "", "en": "Hello"}, "Hello"),
        # only an unknown language: still better than nothing
        ("nl", {"de": "Guten Tag"}, "Guten Tag"),
        ("nl", {}, ""),
        ("nl", None, ""),
        ("fr", "plain text", "plain text"),
    ],
)
def test_localize_falls_back_from_active_language_to_nl_fr_en(active, value, expected):
    with translation.override(active):
        assert localize(value) == expected


def test_localize_prefers_an_explicit_language_over_the_active_one():
    with translation.override("nl"):
        assert localize(ALL, "en") == "Hello"


def test_i18n_template_filter_renders_the_active_language():
    template = Template("{{ title|i18n }}|{{ title|i18n:'en' }}")

    with translation.override("fr"):
        assert template.render(Context({"title": ALL})) == "Bonjour|Hello"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {"nl": "  Hallo ", "fr": "", "en": "   ", "de": "Hallo", "xx": "?"},
            {"nl": "Hallo"},
        ),
        ({"fr": "Bonjour", "en": None}, {"fr": "Bonjour"}),
        ({}, {}),
        (None, {}),
    ],
)
def test_clean_translations_keeps_known_languages_with_text(value, expected):
    assert clean_translations(value) == expected


def test_clean_translations_rich_sanitises_and_drops_what_becomes_empty():
    value = {
        "nl": '<p onclick="x()">Hoi<script>alert(1)</script></p>',
        "fr": "<script>alert(1)</script>",
    }

    assert clean_translations(value, rich=True) == {"nl": "<p>Hoi</p>"}


class ContentForm(forms.Form):
    title = I18nFormField()
    description = I18nFormField(rich=True, multiline=True, required=False)


def _data(title=("", "", ""), description=("", "", "")):
    data = {}
    for name, texts in (("title", title), ("description", description)):
        for code, text in zip(("nl", "fr", "en"), texts, strict=True):
            data[f"{name}_{code}"] = text
    return data


def test_required_i18n_field_is_refused_when_no_language_is_filled():
    form = ContentForm(data=_data(title=("", "  ", "")))

    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["title"] == ["Fill this in, in at least one language."]
    assert form.errors.as_data()["title"][0].code == "required"
    assert "description" not in form.errors


def test_required_i18n_field_accepts_a_single_language():
    form = ContentForm(data=_data(title=("", "Le titre ", "")))

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"title": {"fr": "Le titre"}, "description": {}}


def test_rich_i18n_field_sanitises_every_language():
    form = ContentForm(
        data=_data(
            title=("Titel", "", ""),
            description=(
                '<p onclick="steal()">Welkom <strong>allemaal</strong>'
                "<script>alert(1)</script></p>",
                "",
                '<a href="javascript:alert(1)">x</a><em>ok</em>',
            ),
        )
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["description"] == {
        "nl": "<p>Welkom <strong>allemaal</strong></p>",
        "en": '<a rel="noopener noreferrer">x</a><em>ok</em>',
    }


def test_i18n_widget_renders_one_labelled_input_per_language():
    html = str(ContentForm(initial={"title": {"fr": "Le titre"}})["title"])

    for index, code in enumerate(("nl", "fr", "en")):
        input_id = f"id_title_{index}"
        assert f'for="{input_id}"' in html
        assert f'name="title_{code}"' in html
        assert f'id="{input_id}" lang="{code}"' in html
    assert 'value="Le titre"' in html


def test_model_i18n_field_gives_a_form_field_that_follows_blank_and_rich():
    title = I18nField("title").formfield()
    description = I18nField("description", blank=True, rich=True).formfield()

    assert isinstance(title, I18nFormField) and title.needs_text is True
    assert (description.needs_text, description.rich) == (False, True)
