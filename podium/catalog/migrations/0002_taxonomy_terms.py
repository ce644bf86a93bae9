"""UiTdatabank taxonomy terms that culture houses use: event types and music themes.

Ids and names are UiTdatabank's own (taxonomy API, /work/shared/specs/publiq and
INTEGRATIONS.md §1.6), so that a production can later be published there as is. The
data is copied here, not imported, so that the migration never changes afterwards.
Idempotent (update_or_create); reversing leaves the terms in place, since productions
may point at them.
"""

from django.db import migrations

EVENT_TYPES = {
    "0.50.4.0.0": ("Concert", "Concert", "Concert"),
    "0.55.0.0.0": ("Theatervoorstelling", "Théâtre", "Theatre performance"),
    "0.54.0.0.0": ("Dansvoorstelling", "Spectacle de danse", "Dance performance"),
    "0.50.6.0.0": ("Film", "Film", "Film"),
    "0.5.0.0.0": ("Festival", "Festival", "Festival"),
    "0.3.2.0.0": ("Lezing of congres", "Conférence ou congrès", "Lecture or congress"),
    "0.3.1.0.0": ("Lessenreeks", "Série de cours", "Course series"),
    "0.3.1.0.1": (
        "Cursus met open sessies",
        "Cours avec séances ouvertes",
        "Course with open sessions",
    ),
    "0.57.0.0.0": ("Kamp of vakantie", "Camp ou vacances", "Camp or holiday"),
    "0.0.0.0.0": ("Tentoonstelling", "Exposition", "Exhibition"),
    "0.49.0.0.0": ("Party of fuif", "Fête ou soirée", "Party"),
    "0.7.0.0.0": (
        "Begeleide uitstap of rondleiding",
        "Excursion ou visite guidée",
        "Guided trip or tour",
    ),
    "0.50.21.0.0": ("Spel of quiz", "Jeu ou quiz", "Game or quiz"),
}

# Names as the taxonomy spec gives them (uitdatabank-taxonomy.json); Circus appears
# as a theme in the event examples of uitdatabank-models.
THEMES = {
    "1.8.1.0.0": ("Klassieke muziek", "Musique classique", "Classical music"),
    "1.8.2.0.0": ("Jazz en blues", "Jazz et blues", "Jazz and blues"),
    "1.8.3.1.0": ("Pop en rock", "Pop et rock", "Pop and rock"),
    "1.8.3.2.0": ("Hip hop, rnb en rap", "Hip hop, rnb et rap", "Hip hop, rnb and rap"),
    "1.8.3.3.0": ("Dance muziek", "Musique de danse", "Dance music"),
    "1.8.3.5.0": ("Amusementsmuziek", "Cabaret", "Cabaret music"),
    "1.8.4.0.0": (
        "Folk en wereldmuziek",
        "Musique folklorique et mondiale",
        "Folk and world music",
    ),
    "0.52.0.0.0": ("Circus", "Cirque", "Circus"),
}

# otherSuggestedTerms from the spec: a concert suggests the music themes.
SUGGESTED_THEMES = {
    "0.50.4.0.0": [
        "1.8.3.5.0",
        "1.8.3.3.0",
        "1.8.4.0.0",
        "1.8.3.2.0",
        "1.8.2.0.0",
        "1.8.1.0.0",
        "1.8.3.1.0",
    ],
}


def _name(names):
    return dict(zip(("nl", "fr", "en"), names))


def load_terms(apps, schema_editor):
    TaxonomyTerm = apps.get_model("catalog", "TaxonomyTerm")
    for domain, terms in (("eventtype", EVENT_TYPES), ("theme", THEMES)):
        for term_id, names in terms.items():
            TaxonomyTerm.objects.update_or_create(
                id=term_id, defaults={"domain": domain, "name": _name(names)}
            )
    for term_id, theme_ids in SUGGESTED_THEMES.items():
        TaxonomyTerm.objects.get(id=term_id).suggested_themes.add(*theme_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_terms, migrations.RunPython.noop),
    ]
