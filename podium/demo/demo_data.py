"""The demo cluster: three fictional houses, their halls, staff and artists.

Every name, address and artist here is invented. Enterprise numbers are checked with
python-stdnum when the demo loads. The season itself is in demo_programme.py.
"""

from decimal import ROUND_HALF_UP, Decimal

PASSWORD = "podium-demo"  # noqa: S105 - printed on purpose, demo only

CLUSTER = {"name": "Regio Podium", "slug": "regio-podium"}

# A run from this week on is announced but not on sale yet.
PLANNED_FROM_WEEK = 22


def t(nl: str, fr: str, en: str) -> dict[str, str]:
    return {"nl": nl, "fr": fr, "en": en}


HOUSES = [
    {
        "slug": "cc-de-steiger",
        "name": "CC De Steiger",
        "kind": "cultuurcentrum",
        "legal_name": "AGB Cultuurcentrum De Steiger",
        "enterprise_number": "BE0417.628.352",
        "street": "Zoutwerf 18",
        "postal_code": "2800",
        "city": "Mechelen",
        "email": "tickets@desteiger.example",
        "phone": "+32 15 00 12 34",
        "website": "https://desteiger.example",
        "brand_colour": "#0f5c6e",
        "venues": [
            {
                "name": "Cultuurcentrum De Steiger",
                "street": "Zoutwerf 18",
                "postal_code": "2800",
                "city": "Mechelen",
                "wheelchair_accessible": True,
                "access_info": t(
                    "Vijf minuten wandelen van station Mechelen-Nekkerspoel. Parking"
                    " Zoutwerf naast de ingang; rolstoelplaatsen op rij 1.",
                    "À cinq minutes à pied de la gare de Malines-Nekkerspoel. Parking"
                    " Zoutwerf à côté de l'entrée ; places pour fauteuils au rang 1.",
                    "Five minutes' walk from Mechelen-Nekkerspoel station. Zoutwerf car"
                    " park next to the entrance; wheelchair spaces in row 1.",
                ),
                "halls": [
                    ("steiger-grote-zaal", "Grote zaal", "seated", 640),
                    ("steiger-foyer", "Foyerzaal", "standing", 180),
                ],
            }
        ],
    },
    {
        "slug": "gc-de-zennewijk",
        "name": "GC De Zennewijk",
        "kind": "gemeenschapscentrum",
        "legal_name": "Gemeenschapscentrum De Zennewijk vzw",
        "enterprise_number": "BE0652.341.925",
        "street": "Zennestraat 27",
        "postal_code": "1000",
        "city": "Brussel",
        "email": "info@zennewijk.example",
        "phone": "+32 2 000 56 78",
        "website": "https://zennewijk.example",
        "brand_colour": "#a4343a",
        "venues": [
            {
                "name": "GC De Zennewijk",
                "street": "Zennestraat 27",
                "postal_code": "1000",
                "city": "Brussel",
                "wheelchair_accessible": False,
                "access_info": t(
                    "Metro Ieperlaan op 300 m. De zalen liggen op de eerste verdieping"
                    " en zijn enkel via een trap bereikbaar; er is geen lift.",
                    "Métro Yser à 300 m. Les salles sont au premier étage et"
                    " accessibles uniquement par un escalier ; il n'y a pas d'ascenseur.",
                    "Yser metro station is 300 m away. The halls are on the first floor"
                    " and reached by stairs only; there is no lift.",
                ),
                "halls": [
                    ("zennewijk-theaterzaal", "Theaterzaal", "seated", 320),
                    ("zennewijk-polyvalent", "Polyvalente zaal", "standing", 150),
                ],
            }
        ],
    },
    {
        "slug": "noordlicht",
        "name": "Noordlicht",
        "kind": "kunstenorganisatie",
        "legal_name": "Noordlicht vzw",
        "enterprise_number": "BE0789.153.495",
        "street": "Dok-Noord 7",
        "postal_code": "9000",
        "city": "Gent",
        "email": "hallo@noordlicht.example",
        "phone": "+32 9 000 90 10",
        "website": "https://noordlicht.example",
        "brand_colour": "#3b3f99",
        "venues": [
            {
                "name": "Noordlicht Hallen",
                "street": "Dok-Noord 7",
                "postal_code": "9000",
                "city": "Gent",
                "wheelchair_accessible": True,
                "access_info": t(
                    "Tram 4 halte Dok-Noord. Fietsenstalling aan de ingang; gelijkvloerse"
                    " toegang en een aangepast toilet.",
                    "Tram 4 arrêt Dok-Noord. Parking vélos à l'entrée ; accès de plain-pied"
                    " et toilettes adaptées.",
                    "Tram 4, stop Dok-Noord. Bicycle parking at the entrance; step-free"
                    " access and an accessible toilet.",
                ),
                "halls": [
                    ("noordlicht-hal-5", "Hal 5", "standing", 450),
                    ("noordlicht-studio", "Studio", "standing", 90),
                ],
            }
        ],
    },
]

# (username, first name, last name, house slug or None for the cluster, role)
STAFF = [
    ("steiger-admin", "Katrien", "Wouters", "cc-de-steiger", "house_admin"),
    ("steiger-programmer", "Bram", "De Smet", "cc-de-steiger", "programmer"),
    ("steiger-ticketing", "Sofie", "Peeters", "cc-de-steiger", "ticketing"),
    ("steiger-audience", "Yasmine", "Benali", "cc-de-steiger", "audience"),
    ("steiger-production", "Jonas", "Claes", "cc-de-steiger", "production"),
    ("zennewijk-admin", "Lotte", "Vandamme", "gc-de-zennewijk", "house_admin"),
    ("zennewijk-programmer", "Mehdi", "Aouad", "gc-de-zennewijk", "programmer"),
    ("noordlicht-admin", "Ruben", "Goossens", "noordlicht", "house_admin"),
    ("noordlicht-programmer", "Elke", "Maes", "noordlicht", "programmer"),
    ("coordinator", "An", "Verhoeven", None, "cluster_coordinator"),
]
SUPERUSER = ("platform", "Platform", "Operator")
# House administrators must use two-step verification; the demo's share this known
# authenticator key (printed by load_demo; `manage.py totp_code <login>` shows the
# current code). Demo only: real installs set up their own in the office.
TOTP_SECRET = "PODIUMDEMOKEYPODIUMDEMOKEY234567"  # noqa: S105 - printed on purpose

# key: (house slug, name, bio, website)
ARTISTS = {
    "tafeltheater": (
        "cc-de-steiger",
        "Tafeltheater",
        t(
            "Mechels gezelschap dat klassiekers speelt met zes acteurs en één tafel.",
            "Compagnie malinoise qui joue les classiques avec six acteurs et une table.",
            "A Mechelen company playing the classics with six actors and one table.",
        ),
        "https://tafeltheater.example",
    ),
    "kamerorkest-dijle": (
        "cc-de-steiger",
        "Kamerorkest Dijle",
        t(
            "Jong strijkorkest dat barok en hedendaagse muziek naast elkaar zet.",
            "Jeune orchestre à cordes qui confronte baroque et musique d'aujourd'hui.",
            "A young string orchestra pairing baroque with today's music.",
        ),
        "",
    ),
    "vaste-grond": (
        "cc-de-steiger",
        "Compagnie Vaste Grond",
        t(
            "Dansgezelschap rond choreografe Mira Jacobs, bekend om zijn luchtige acrobatie.",
            "Compagnie de danse autour de la chorégraphe Mira Jacobs, connue pour son "
            "acrobatie légère.",
            "A dance company around choreographer Mira Jacobs, known for airy acrobatics.",
        ),
        "",
    ),
    "kwispel": (
        "cc-de-steiger",
        "Theater Kwispel",
        t(
            "Maakt al twintig jaar beeldend theater voor de allerkleinsten.",
            "Crée depuis vingt ans du théâtre visuel pour les tout-petits.",
            "Has made visual theatre for the very young for twenty years.",
        ),
        "",
    ),
    "hoepla": (
        "cc-de-steiger",
        "Collectief Hoepla",
        t(
            "Vier circusartiesten die alles kunnen behalve stilzitten.",
            "Quatre artistes de cirque qui savent tout faire sauf rester assis.",
            "Four circus artists who can do anything except sit still.",
        ),
        "",
    ),
    "elise-vermeulen-trio": (
        "cc-de-steiger",
        "Elise Vermeulen Trio",
        t(
            "Pianiste Elise Vermeulen speelt met bas en drums eigen werk en standards.",
            "La pianiste Elise Vermeulen joue ses compositions et des standards avec "
            "basse et batterie.",
            "Pianist Elise Vermeulen plays her own tunes and standards with bass and drums.",
        ),
        "",
    ),
    "compagnie-ketje": (
        "gc-de-zennewijk",
        "Compagnie Ketje",
        t(
            "Brussels gezelschap dat speelt in het Nederlands, het Frans en alles daartussen.",
            "Compagnie bruxelloise qui joue en néerlandais, en français et tout ce qu'il "
            "y a entre les deux.",
            "A Brussels company playing in Dutch, French and everything in between.",
        ),
        "",
    ),
    "orkest-tram-51": (
        "gc-de-zennewijk",
        "Orkest Tram 51",
        t(
            "Tienkoppige fanfare met wortels van Sofia tot Schaarbeek.",
            "Fanfare de dix musiciens aux racines de Sofia à Schaerbeek.",
            "A ten-piece brass band with roots from Sofia to Schaerbeek.",
        ),
        "",
    ),
    "nadia-el-khatib": (
        "gc-de-zennewijk",
        "Nadia El Khatib",
        t(
            "Stedenbouwkundige en onderzoeker naar betaalbaar wonen in Brussel.",
            "Urbaniste et chercheuse sur le logement abordable à Bruxelles.",
            "Urban planner researching affordable housing in Brussels.",
        ),
        "",
    ),
    "circusschool-tuimel": (
        "gc-de-zennewijk",
        "Circusschool Tuimel",
        t(
            "Buurtcircusschool waar kinderen leren jongleren, balanceren en vallen.",
            "École de cirque de quartier où les enfants apprennent à jongler, à "
            "tenir en équilibre et à tomber.",
            "A neighbourhood circus school where children learn to juggle, balance and fall.",
        ),
        "",
    ),
    "yasmina-k": (
        "noordlicht",
        "Yasmina K.",
        t(
            "Gentse rapper die in drie talen over beton en bloemen schrijft.",
            "Rappeuse gantoise qui écrit en trois langues sur le béton et les fleurs.",
            "A Ghent rapper writing in three languages about concrete and flowers.",
        ),
        "",
    ),
    "dj-kwarts": (
        "noordlicht",
        "DJ Kwarts",
        t(
            "Resident-dj van Noordlicht, van Detroit-techno tot Belgische new beat.",
            "DJ résident de Noordlicht, de la techno de Detroit à la new beat belge.",
            "Noordlicht's resident DJ, from Detroit techno to Belgian new beat.",
        ),
        "",
    ),
    "the-polders": (
        "noordlicht",
        "The Polders",
        t(
            "Gitaarband uit het Meetjesland met luide refreinen.",
            "Groupe de guitares du Meetjesland aux refrains bruyants.",
            "A guitar band from the Meetjesland with loud choruses.",
        ),
        "",
    ),
    "meisje-morgen": (
        "noordlicht",
        "Meisje Morgen",
        t(
            "Singer-songwriter die zachte pop maakt met scherpe teksten.",
            "Autrice-compositrice de pop douce aux textes acérés.",
            "A singer-songwriter making gentle pop with sharp lyrics.",
        ),
        "",
    ),
    "ana-ferreira": (
        "noordlicht",
        "Ana Ferreira",
        t(
            "Portugees-Belgische danseres en maker, artist in residence bij Noordlicht.",
            "Danseuse et créatrice luso-belge, artiste en résidence à Noordlicht.",
            "A Portuguese-Belgian dancer and maker, artist in residence at Noordlicht.",
        ),
        "",
    ),
}

# ----------------------------------------------------------------------- prices
# Full price (incl. 6 % VAT) by discipline; a production may set its own "price".
FULL_PRICE_BY_TYPE = {
    "0.55.0.0.0": "24.00",  # theatre
    "0.54.0.0.0": "26.00",  # dance
    "0.50.4.0.0": "22.00",  # concert
    "0.52.0.0.0": "18.00",  # circus
    "0.5.0.0.0": "32.00",  # festival
    "0.49.0.0.0": "14.00",  # party
    "0.50.6.0.0": "8.00",  # film
    "0.3.2.0.0": "10.00",  # lecture
    "0.50.21.0.0": "8.00",  # quiz
    "0.57.0.0.0": "12.00",  # camp
}
DEFAULT_FULL_PRICE = "16.00"

# (name, share of the full price): rank 2 costs 80 %, never below MIN_FULL_PRICE.
SEATED_RANKS = [
    (t("Rang 1", "1er rang", "Rank 1"), Decimal("1")),
    (t("Rang 2", "2e rang", "Rank 2"), Decimal("0.8")),
]
STANDING = [(t("Staanplaats", "Places debout", "Standing"), Decimal("1"))]
MIN_FULL_PRICE = Decimal("8.00")

# Box-office orders in the demo are rung up by this clerk of this house.
# The key the local Mollie server (tools/mollie_local.py, started by `make run`)
# accepts: online payments in the demo work without the internet.
LOCAL_MOLLIE_KEY = "test_podiumhouseakey0000000000"
BOX_OFFICE_CLERK = "steiger-ticketing"
BOX_OFFICE_HOUSE = "cc-de-steiger"
# Orders spread over the house's next performances, besides the sold-out night.
OTHER_ORDERS = 40

# One house charges a service fee per ticket.
FEE_PER_TICKET = {"cc-de-steiger": "1.00"}


def full_price(spec: dict) -> Decimal:
    price = spec.get("price") or FULL_PRICE_BY_TYPE.get(spec["event_type"])
    return Decimal(price or DEFAULT_FULL_PRICE)


def rank_price(full: Decimal, share: Decimal) -> Decimal:
    return max(_half_euros(full * share), min(full, MIN_FULL_PRICE))


def _half_euros(amount: Decimal) -> Decimal:
    return (amount * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2


def tariffs(full: Decimal) -> list[dict]:
    """Full, under 26, 65+, social tariff and a free invitation (box office only)."""
    return [
        {
            "kind": "full",
            "name": t("Volle prijs", "Plein tarif", "Full price"),
            "price": full,
        },
        {
            "kind": "under_26",
            "name": t("-26 jaar", "-26 ans", "Under 26"),
            "price": _half_euros(full * 3 / 4),
            "requires_proof": True,
        },
        {
            "kind": "senior",
            "name": t("65+", "65+", "65+"),
            "price": full - 2,
            "requires_proof": True,
        },
        {
            "kind": "social",
            "name": t("Kansentarief", "Tarif social", "Social tariff"),
            "price": _half_euros(full / 5),
            "requires_proof": True,
        },
        {
            "kind": "invitation",
            "name": t("Vrijkaart", "Invitation", "Free invitation"),
            "price": Decimal("0.00"),
            "box_office_only": True,
            "max_per_order": 2,
        },
    ]
