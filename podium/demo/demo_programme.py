"""The demo season: sixteen productions and when they play.

Runs are given in weeks from the Monday after the day the demo is loaded, so the
season always lies ahead.
"""

from .demo_data import t

CONCERT = "0.50.4.0.0"
THEATRE = "0.55.0.0.0"
DANCE = "0.54.0.0.0"
FILM = "0.50.6.0.0"
FESTIVAL = "0.5.0.0.0"
LECTURE = "0.3.2.0.0"
CAMP = "0.57.0.0.0"
PARTY = "0.49.0.0.0"
QUIZ = "0.50.21.0.0"
JAZZ, CLASSICAL, POP_ROCK, HIP_HOP = "1.8.2.0.0", "1.8.1.0.0", "1.8.3.1.0", "1.8.3.2.0"
DANCE_MUSIC, WORLD, CIRCUS = "1.8.3.3.0", "1.8.4.0.0", "0.52.0.0.0"


def week(n: int, *weekdays: int) -> list[tuple[int, int]]:
    """Performances in week `n` (0 = next week) on these weekdays (Monday = 0)."""
    return [(n, day) for day in weekdays]


def every(first: int, step: int, count: int, weekday: int) -> list[tuple[int, int]]:
    return [(first + step * i, weekday) for i in range(count)]


MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

# Each production: content, then its run: hall, (week, weekday) pairs, start time and
# changes to single performances after creation (by position in the run).
PRODUCTIONS = [
    {
        "house": "cc-de-steiger",
        "title": t("De Storm", "La Tempête", "The Tempest"),
        "subtitle": t(
            "naar William Shakespeare",
            "d'après William Shakespeare",
            "after William Shakespeare",
        ),
        "description": t(
            "<p>Een schipbreuk, een eiland en een vader die zijn macht moet loslaten. "
            "<strong>Tafeltheater</strong> speelt Shakespeares laatste stuk met zes "
            "acteurs, één tafel en veel wind.</p>",
            "<p>Un naufrage, une île et un père qui doit renoncer au pouvoir. "
            "<strong>Tafeltheater</strong> joue la dernière pièce de Shakespeare avec "
            "six acteurs, une table et beaucoup de vent.</p>",
            "<p>A shipwreck, an island and a father who must let go of power. "
            "<strong>Tafeltheater</strong> plays Shakespeare's last play with six "
            "actors, one table and a lot of wind.</p>",
        ),
        "event_type": THEATRE,
        "age_min": 12,
        "language": "nl",
        "duration": 110,
        "tags": ["shakespeare", "klassieker", "boventiteling-fr"],
        "artists": ["tafeltheater"],
        "quotes": [
            (
                "Gazet van de Dijle",
                t(
                    "Stormachtig en ontroerend.",
                    "Orageux et émouvant.",
                    "Stormy and moving.",
                ),
            )
        ],
        "videos": [
            (
                "https://www.youtube.com/watch?v=podium-de-storm",
                t("Trailer", "Bande-annonce", "Trailer"),
            )
        ],
        "hall": "steiger-grote-zaal",
        "runs": week(1, THU, FRI, SAT),
        "time": "20:00",
        "sell_out": [0],  # the opening night, sold at the box office
    },
    {
        "house": "cc-de-steiger",
        "title": t(
            "De vier seizoenen, herboren",
            "Les Quatre Saisons, renaissance",
            "The Four Seasons, Reborn",
        ),
        "subtitle": t(
            "Vivaldi en Max Richter",
            "Vivaldi et Max Richter",
            "Vivaldi and Max Richter",
        ),
        "description": t(
            "<p>Vivaldi's bekendste concerti naast de herschrijving van Max Richter: "
            "twee keer hetzelfde jaar, driehonderd jaar uit elkaar.</p>",
            "<p>Les concertos les plus connus de Vivaldi face à la réécriture de Max "
            "Richter : deux fois la même année, à trois siècles d'écart.</p>",
            "<p>Vivaldi's best-known concertos beside Max Richter's recomposition: "
            "the same year twice, three centuries apart.</p>",
        ),
        "event_type": CONCERT,
        "themes": [CLASSICAL],
        "age_min": 8,
        "language": "none",
        "duration": 95,
        "tags": ["strijkers", "barok"],
        "artists": ["kamerorkest-dijle"],
        "quotes": [
            (
                "Klassiek Vlaanderen",
                t(
                    "Fris, scherp en nooit braaf.",
                    "Frais, incisif et jamais sage.",
                    "Fresh, sharp and never tame.",
                ),
            )
        ],
        "hall": "steiger-grote-zaal",
        "runs": week(4, FRI) + week(17, SAT),
        "time": "20:00",
    },
    {
        "house": "cc-de-steiger",
        "title": t("Nachtvlucht", "Vol de nuit", "Night Flight"),
        "subtitle": t(
            "dans voor vijf lichamen en een lichtmast",
            "danse pour cinq corps et un mât d'éclairage",
            "dance for five bodies and a light mast",
        ),
        "description": t(
            "<p>Vijf dansers zoeken het evenwicht tussen vallen en vliegen. "
            "Een voorstelling zonder woorden, met live elektronica.</p>",
            "<p>Cinq danseurs cherchent l'équilibre entre tomber et voler. "
            "Un spectacle sans paroles, avec électronique live.</p>",
            "<p>Five dancers look for the balance between falling and flying. "
            "A show without words, with live electronics.</p>",
        ),
        "event_type": DANCE,
        "age_min": 10,
        "language": "none",
        "duration": 70,
        "tags": ["hedendaagse dans", "live muziek"],
        "artists": ["vaste-grond"],
        "quotes": [
            (
                "Dansblad",
                t(
                    "Adembenemend licht.",
                    "D'une légèreté à couper le souffle.",
                    "Breathtakingly light.",
                ),
            )
        ],
        "videos": [
            (
                "https://www.youtube.com/watch?v=podium-nachtvlucht",
                t("Trailer", "Bande-annonce", "Trailer"),
            )
        ],
        "hall": "steiger-grote-zaal",
        "runs": week(8, FRI, SAT),
        "time": "20:00",
    },
    {
        "house": "cc-de-steiger",
        "title": t(
            "Het lampje van Lotte",
            "La petite lampe de Lotte",
            "Lotte's Little Lamp",
        ),
        "subtitle": t(
            "familievoorstelling (4+)",
            "spectacle familial (4+)",
            "family show (4+)",
        ),
        "description": t(
            "<p>Lotte is bang in het donker, tot haar lampje begint te praten. "
            "Beeldend theater met schaduwen en zachte muziek.</p>",
            "<p>Lotte a peur du noir, jusqu'à ce que sa lampe se mette à parler. "
            "Du théâtre visuel avec des ombres et une musique douce.</p>",
            "<p>Lotte is afraid of the dark, until her little lamp starts to talk. "
            "Visual theatre with shadows and gentle music.</p>",
        ),
        "event_type": THEATRE,
        "age_min": 4,
        "age_max": 9,
        "language": "nl",
        "duration": 55,
        "tags": ["familie", "schaduwtheater"],
        "artists": ["kwispel"],
        "quotes": [
            (
                "Kinderpodium.be",
                t(
                    "Klein, warm en magisch.",
                    "Petit, chaleureux et magique.",
                    "Small, warm and magical.",
                ),
            )
        ],
        "hall": "steiger-grote-zaal",
        "runs": week(2, SUN) + week(10, SUN) + week(18, WED),
        "time": "15:00",
        # A closed school performance: staff see it, the public agenda does not.
        "changes": {2: {"visibility": "hidden"}},
    },
    {
        "house": "cc-de-steiger",
        "title": t(
            "Hop! Circus op zolder", "Hop ! Cirque au grenier", "Hop! Attic Circus"
        ),
        "subtitle": t(
            "circustheater voor het hele gezin",
            "cirque-théâtre pour toute la famille",
            "circus theatre for the whole family",
        ),
        "description": t(
            "<p>Op een stoffige zolder komen oude koffers tot leven. "
            "Jongleren, acrobatie en veel gelach.</p>",
            "<p>Dans un grenier poussiéreux, de vieilles valises prennent vie. "
            "Jonglerie, acrobatie et beaucoup de rires.</p>",
            "<p>In a dusty attic old suitcases come to life. "
            "Juggling, acrobatics and lots of laughter.</p>",
        ),
        "event_type": THEATRE,
        "themes": [CIRCUS],
        "age_min": 6,
        "language": "none",
        "duration": 60,
        "tags": ["familie", "circus"],
        "artists": ["hoepla"],
        "quotes": [],
        "hall": "steiger-grote-zaal",
        "runs": week(6, WED) + week(14, WED),
        "time": "14:00",
    },
    {
        "house": "cc-de-steiger",
        "title": t(
            "Blue Monday Sessions", "Blue Monday Sessions", "Blue Monday Sessions"
        ),
        "subtitle": t("jazz in de foyer", "jazz au foyer", "jazz in the foyer"),
        "description": t(
            "<p>Elke vier weken op maandag: het <em>Elise Vermeulen Trio</em> en een "
            "gast. Vrije plaatsen, de bar blijft open.</p>",
            "<p>Un lundi sur quatre : le <em>Elise Vermeulen Trio</em> et un invité. "
            "Places libres, le bar reste ouvert.</p>",
            "<p>Every fourth Monday: the <em>Elise Vermeulen Trio</em> and a guest. "
            "Unreserved, the bar stays open.</p>",
        ),
        "event_type": CONCERT,
        "themes": [JAZZ],
        "language": "none",
        "duration": 120,
        "tags": ["jazz", "foyer", "staanplaatsen"],
        "artists": ["elise-vermeulen-trio"],
        "quotes": [
            (
                "Jazzkroniek",
                t(
                    "De gezelligste jazzavond van de provincie.",
                    "La soirée jazz la plus conviviale de la province.",
                    "The friendliest jazz night in the province.",
                ),
            )
        ],
        "hall": "steiger-foyer",
        "runs": every(0, 4, 6, MON),
        "time": "20:30",
        "changes": {3: {"status": "cancelled"}},
    },
    {
        "house": "cc-de-steiger",
        "title": t(
            "De Grote Cultuurquiz", "Le Grand Quiz culturel", "The Big Culture Quiz"
        ),
        "subtitle": t(
            "ploegen van vier tot zes",
            "équipes de quatre à six",
            "teams of four to six",
        ),
        "description": t(
            "<p>Acht rondes over theater, muziek, film en Mechelen. "
            "Schrijf je ploeg in met één ticket per persoon.</p>",
            "<p>Huit manches sur le théâtre, la musique, le cinéma et Malines. "
            "Inscrivez votre équipe avec un billet par personne.</p>",
            "<p>Eight rounds on theatre, music, film and Mechelen. "
            "Enter your team with one ticket per person.</p>",
        ),
        "event_type": QUIZ,
        "age_min": 14,
        "language": "nl",
        "duration": 150,
        "tags": ["quiz", "foyer"],
        "artists": [],
        "quotes": [],
        "hall": "steiger-foyer",
        "runs": week(3, FRI) + week(15, FRI),
        "time": "20:00",
    },
    {
        "house": "gc-de-zennewijk",
        "title": t("Babel aan de Zenne", "Babel-sur-Senne", "Babel on the Senne"),
        "subtitle": t(
            "een meertalige komedie",
            "une comédie multilingue",
            "a multilingual comedy",
        ),
        "description": t(
            "<p>Zes buren, één trappenhal en geen gemeenschappelijke taal. "
            "Een komedie in het Nederlands, het Frans en het Brussels.</p>",
            "<p>Six voisins, une cage d'escalier et aucune langue commune. "
            "Une comédie en néerlandais, en français et en bruxellois.</p>",
            "<p>Six neighbours, one stairwell and no common language. "
            "A comedy in Dutch, French and Brussels dialect.</p>",
        ),
        "event_type": THEATRE,
        "age_min": 12,
        "language": "multi",
        "duration": 90,
        "tags": ["humor", "meertalig", "brussel"],
        "artists": ["compagnie-ketje"],
        "quotes": [
            (
                "Brusselse Stadskrant",
                t(
                    "Hilarisch en herkenbaar.",
                    "Hilarant et tellement reconnaissable.",
                    "Hilarious and all too familiar.",
                ),
            )
        ],
        "videos": [
            (
                "https://www.youtube.com/watch?v=podium-babel-aan-de-zenne",
                t("Trailer", "Bande-annonce", "Trailer"),
            )
        ],
        "hall": "zennewijk-theaterzaal",
        "runs": week(2, THU, FRI, SAT),
        "time": "20:00",
    },
    {
        "house": "gc-de-zennewijk",
        "title": t(
            "Balkan Express Brussel",
            "Balkan Express Bruxelles",
            "Balkan Express Brussels",
        ),
        "subtitle": t(
            "fanfare en dansavond",
            "fanfare et soirée dansante",
            "brass band and dance night",
        ),
        "description": t(
            "<p><strong>Orkest Tram 51</strong> brengt koperblazers, accordeon en "
            "een dansvloer die niet stil blijft.</p>",
            "<p><strong>Orkest Tram 51</strong> amène cuivres, accordéon et une piste "
            "de danse qui ne tient pas en place.</p>",
            "<p><strong>Orkest Tram 51</strong> brings brass, accordion and a dance "
            "floor that will not keep still.</p>",
        ),
        "event_type": CONCERT,
        "themes": [WORLD],
        "language": "none",
        "duration": 150,
        "tags": ["fanfare", "dansen", "staanplaatsen"],
        "artists": ["orkest-tram-51"],
        "quotes": [],
        "hall": "zennewijk-polyvalent",
        "runs": week(5, SAT) + week(19, SAT),
        "time": "20:00",
    },
    {
        "house": "gc-de-zennewijk",
        "title": t(
            "Zondagfilm: klassiekers op groot doek",
            "Cinéma du dimanche : classiques sur grand écran",
            "Sunday Cinema: Classics on the Big Screen",
        ),
        "subtitle": t(
            "originele versie, ondertiteld",
            "version originale sous-titrée",
            "original version, subtitled",
        ),
        "description": t(
            "<p>Om de drie weken een klassieker uit de filmgeschiedenis, met een korte "
            "inleiding en koffie na afloop.</p>",
            "<p>Toutes les trois semaines, un classique de l'histoire du cinéma, avec "
            "une courte introduction et un café après.</p>",
            "<p>Every three weeks a classic from film history, with a short "
            "introduction and coffee afterwards.</p>",
        ),
        "event_type": FILM,
        "age_min": 12,
        "language": "multi",
        "duration": 130,
        "tags": ["film", "ondertiteld"],
        "artists": [],
        "quotes": [],
        "hall": "zennewijk-theaterzaal",
        "runs": every(1, 3, 5, SUN),
        "time": "15:00",
    },
    {
        "house": "gc-de-zennewijk",
        "title": t("De stad van morgen", "La ville de demain", "The City of Tomorrow"),
        "subtitle": t(
            "lezing en gesprek over wonen in Brussel",
            "conférence et débat sur le logement à Bruxelles",
            "talk and debate on housing in Brussels",
        ),
        "description": t(
            "<p>Stedenbouwkundige <strong>Nadia El Khatib</strong> over betaalbaar "
            "wonen, groen en lawaai. Daarna vragen uit de zaal.</p>",
            "<p>L'urbaniste <strong>Nadia El Khatib</strong> sur le logement "
            "abordable, la verdure et le bruit. Questions du public ensuite.</p>",
            "<p>Urban planner <strong>Nadia El Khatib</strong> on affordable housing, "
            "green space and noise. Questions from the floor afterwards.</p>",
        ),
        "event_type": LECTURE,
        "age_min": 16,
        "language": "multi",
        "duration": 100,
        "tags": ["lezing", "stad", "wonen"],
        "artists": ["nadia-el-khatib"],
        "quotes": [],
        "hall": "zennewijk-polyvalent",
        "runs": week(6, TUE) + week(24, TUE),
        "time": "20:00",
    },
    {
        "house": "gc-de-zennewijk",
        "title": t(
            "Circuskamp: jongleren en balanceren",
            "Stage de cirque : jongler et tenir en équilibre",
            "Circus Camp: Juggling and Balancing",
        ),
        "subtitle": t(
            "drie dagen circus voor kinderen van 6 tot 12",
            "trois jours de cirque pour les 6 à 12 ans",
            "three days of circus for children aged 6 to 12",
        ),
        "description": t(
            "<p>Drie dagen jongleren, koorddansen en acrobatie met "
            "<em>Circusschool Tuimel</em>. Op de laatste dag een toonmoment.</p>",
            "<p>Trois jours de jonglerie, de funambule et d'acrobatie avec "
            "<em>Circusschool Tuimel</em>. Petite présentation le dernier jour.</p>",
            "<p>Three days of juggling, tightrope and acrobatics with "
            "<em>Circusschool Tuimel</em>. A small show on the last day.</p>",
        ),
        "event_type": CAMP,
        "themes": [CIRCUS],
        "age_min": 6,
        "age_max": 12,
        "language": "multi",
        "duration": 360,
        "tags": ["kamp", "circus", "kinderen"],
        "artists": ["circusschool-tuimel"],
        "quotes": [],
        "hall": "zennewijk-polyvalent",
        "runs": week(9, MON, TUE, WED),
        "time": "10:00",
    },
    {
        "house": "noordlicht",
        "title": t("Betonbloemen", "Fleurs de béton", "Concrete Flowers"),
        "subtitle": t(
            "Yasmina K. stelt haar debuutalbum voor",
            "Yasmina K. présente son premier album",
            "Yasmina K. presents her debut album",
        ),
        "description": t(
            "<p>Drietalige rap over opgroeien tussen havenkranen. "
            "Met live band en gastoptredens.</p>",
            "<p>Du rap trilingue sur une jeunesse entre les grues du port. "
            "Avec groupe live et invités.</p>",
            "<p>Trilingual rap about growing up between harbour cranes. "
            "With a live band and guests.</p>",
        ),
        "event_type": CONCERT,
        "themes": [HIP_HOP],
        "age_min": 12,
        "language": "multi",
        "duration": 100,
        "tags": ["hiphop", "albumvoorstelling", "staanplaatsen"],
        "artists": ["yasmina-k"],
        "quotes": [
            (
                "Gentse Gazet",
                t(
                    "De stem van een nieuwe generatie.",
                    "La voix d'une nouvelle génération.",
                    "The voice of a new generation.",
                ),
            )
        ],
        "hall": "noordlicht-hal-5",
        "runs": week(7, SAT) + week(21, SAT),
        "time": "20:00",
    },
    {
        "house": "noordlicht",
        "title": t("Neon Nacht", "Nuit Néon", "Neon Night"),
        "subtitle": t(
            "clubavond in Hal 5", "soirée club au Hal 5", "club night in Hal 5"
        ),
        "description": t(
            "<p>DJ Kwarts en gasten draaien van techno tot new beat, "
            "tot de lichten aangaan.</p>",
            "<p>DJ Kwarts et ses invités passent de la techno à la new beat, "
            "jusqu'à ce que la lumière se rallume.</p>",
            "<p>DJ Kwarts and guests play from techno to new beat "
            "until the lights come on.</p>",
        ),
        "event_type": PARTY,
        "themes": [DANCE_MUSIC],
        "age_min": 16,
        "language": "none",
        "duration": 300,
        "tags": ["techno", "new beat", "nacht"],
        "artists": ["dj-kwarts"],
        "quotes": [],
        "videos": [
            (
                "https://www.youtube.com/watch?v=podium-neon-nacht",
                t("Trailer", "Bande-annonce", "Trailer"),
            )
        ],
        "hall": "noordlicht-hal-5",
        "runs": week(3, FRI) + week(11, FRI) + week(25, FRI),
        "time": "22:00",
    },
    {
        "house": "noordlicht",
        "title": t("Grondtonen Festival", "Festival Grondtonen", "Grondtonen Festival"),
        "subtitle": t(
            "twee dagen gitaren aan het dok",
            "deux jours de guitares au bord du dock",
            "two days of guitars by the dock",
        ),
        "description": t(
            "<p>Het kleinste festival van Gent, met <strong>The Polders</strong>, "
            "<strong>Meisje Morgen</strong> en zes nieuwe bands.</p>",
            "<p>Le plus petit festival de Gand, avec <strong>The Polders</strong>, "
            "<strong>Meisje Morgen</strong> et six nouveaux groupes.</p>",
            "<p>Ghent's smallest festival, with <strong>The Polders</strong>, "
            "<strong>Meisje Morgen</strong> and six new bands.</p>",
        ),
        "event_type": FESTIVAL,
        "themes": [POP_ROCK],
        "language": "multi",
        "duration": 360,
        "tags": ["festival", "pop", "rock"],
        "artists": ["the-polders", "meisje-morgen"],
        "quotes": [],
        "hall": "noordlicht-hal-5",
        "runs": week(30, FRI, SAT),
        "time": "18:00",
    },
    {
        "house": "noordlicht",
        "title": t("Zwijgen is goud", "Le silence est d'or", "Silence Is Golden"),
        "subtitle": t(
            "een solo van Ana Ferreira",
            "un solo d'Ana Ferreira",
            "a solo by Ana Ferreira",
        ),
        "description": t(
            "<p>Een uur lang zegt Ana Ferreira niets, en toch vertelt ze alles. "
            "Intieme dansvoorstelling voor negentig toeschouwers.</p>",
            "<p>Pendant une heure, Ana Ferreira ne dit rien, et pourtant elle raconte "
            "tout. Un solo intime pour quatre-vingt-dix spectateurs.</p>",
            "<p>For an hour Ana Ferreira says nothing, yet tells everything. "
            "An intimate dance solo for ninety spectators.</p>",
        ),
        "event_type": DANCE,
        "age_min": 14,
        "language": "none",
        "duration": 60,
        "tags": ["solo", "hedendaagse dans"],
        "artists": ["ana-ferreira"],
        "quotes": [
            (
                "Podiumblog Gent",
                t(
                    "Stil, streng en onvergetelijk.",
                    "Silencieux, rigoureux et inoubliable.",
                    "Quiet, rigorous and unforgettable.",
                ),
            )
        ],
        "hall": "noordlicht-studio",
        "runs": week(12, WED, THU, FRI, SAT),
        "time": "20:00",
    },
]
