"""Fixed ingredients of the fictional demo region: boards, places, name pools.

The board names are those of the regional manual's contact list; every person, school name,
address, BRIN and e-mail address is invented (e-mail only under ``.example`` domains).
"""

from __future__ import annotations

from elk_domain.kernel.advice import Level

# (board name, sector, number of primary schools); the manual lists Amstelwijs twice (two
# contacts), so its 19 lines name 18 boards.
BOARDS: tuple[tuple[str, str, int], ...] = (
    ("Dunamare Onderwijsgroep", "vo", 0),
    ("Educatis", "vo", 0),
    ("Jong Leren", "po", 3),
    ("St Aloysius", "po", 2),
    ("Stichting Amstelwijs", "po", 10),
    ("St Auro Openbaar PO", "po", 7),
    ("St Cedergroep", "po", 3),
    ("St Iris CVO", "vo", 0),
    ("St Katholiek Onderwijs Aalsmeer", "po", 4),
    ("St Keizer Karel (Alkwin Kollege)", "vo", 0),
    ("St Keizer Karel (KKC)", "vo", 0),
    ("St Onderwijsgroep Amstelland", "vo", 0),
    ("St Openbaar VO Amstelveen", "vo", 0),
    ("St School of Understanding Nederland", "po", 1),
    ("Stichting Geert Groote School", "po", 1),
    ("St Yuverta", "vo", 0),
    ("St Wijzer aan de Amstel", "po", 7),
    ("Florencius (particulier)", "po", 2),
)

# Invented board contacts: (first name, last name); e-mail is built under @bestuur.example.
# fmt: off
BOARD_CONTACTS: tuple[tuple[str, str], ...] = (
    ("Ilse", "Verhoeven"), ("Ruben", "Kramer"), ("Femke", "Hoekstra"), ("Sander", "Bosman"),
    ("Lotte", "Jacobs"), ("Wouter", "Mulder"), ("Noor", "Veenstra"), ("Bas", "Timmermans"),
    ("Iris", "Kok"), ("Joost", "Brouwer"), ("Sanne", "Dijkstra"), ("Thijs", "Koster"),
    ("Merel", "Prins"), ("Daan", "Huisman"), ("Eva", "Schouten"), ("Koen", "Blom"),
    ("Fleur", "Wiersma"), ("Gijs", "Postma"),
)
# fmt: on

# (place, postcode ranges (first, last), streets)
PLACES: tuple[tuple[str, tuple[int, int], tuple[str, ...]], ...] = (
    (
        "Amstelveen",
        (1181, 1189),
        (
            "Populierenlaan",
            "Bovenkerkerweg",
            "Keizer Karelweg",
            "Ouderkerkerlaan",
            "Lindenlaan",
            "Van der Hooplaan",
            "Startbaan",
            "Zonnestein",
            "Groen van Prinstererlaan",
            "Kostverloren",
        ),
    ),
    (
        "Aalsmeer",
        (1431, 1432),
        (
            "Stommeerweg",
            "Zwarteweg",
            "Oosteinderweg",
            "Hortensialaan",
            "Ophelialaan",
            "Dorpsstraat",
        ),
    ),
    (
        "Uithoorn",
        (1421, 1423),
        (
            "Admiraal de Ruyterlaan",
            "Zijdelveld",
            "Laan van Meerwijk",
            "Prinses Irenelaan",
            "Potgieterplein",
            "Arthur van Schendellaan",
        ),
    ),
    (
        "Ouderkerk aan de Amstel",
        (1191, 1191),
        ("Achter-Oost", "Burgemeester Stramanweg", "Kerkstraat"),
    ),
    ("Duivendrecht", (1115, 1115), ("Rijksstraatweg", "Dorpsstraat", "Kerkbuurtlaan")),
)
PLACE_WEIGHTS = (50, 20, 20, 6, 4)

# fmt: off
PO_PREFIXES = (
    "OBS", "CBS", "RKBS", "PCBS", "Basisschool", "IKC", "Montessorischool",
)
PO_NAMES = (
    "De Zonnewijzer", "Het Kompas", "De Windroos", "De Kameleon", "Het Palet", "De Regenboog",
    "De Sterrenkijker", "De Boomgaard", "Het Zeepaardje", "De Vlieger", "De Duizendpoot",
    "De Wilgenhoek", "Het Lichtschip", "De Notenkraker", "De Klimop", "Het Eikenblad",
    "De Toverfluit", "De Uitkijkpost", "De Polderhoek", "De Waterlelie", "Het Veenpluis",
    "De Kievit", "De Zeilboot", "Het Molenwiek", "De Fontein", "De Klaproos", "De Ontdekking",
    "Het Vogelnest", "De Wereldbol", "De Paddenstoel", "De Korenaar", "De Bijenkorf",
    "Het Tuinpad", "De Speelwei", "De Vuurtoren", "De Dukdalf", "Het Amstelpad", "De Sluis",
    "De Bolderik", "De Kleine Beer", "De Vliet", "Het Drijfhout",
)
# fmt: on

# (name, school type, levels, offers priority); capacities are drawn per level.
VO_SCHOOLS: tuple[tuple[str, str, tuple[Level, ...], bool], ...] = (
    ("Praktijkschool Het Vlot (demo)", "Praktijkonderwijs", (Level.PRO,), False),
    ("Veenrand College (demo)", "VMBO", (Level.VMBO_B, Level.VMBO_K, Level.VMBO_GT), True),
    ("Poeldijk Lyceum (demo)", "Scholengemeenschap", (Level.VMBO_GT, Level.HAVO, Level.VWO), True),
    ("Helmhout Gymnasium (demo)", "Gymnasium", (Level.VWO,), False),
    (
        "Amstelrede College (demo)",
        "Scholengemeenschap",
        (Level.VMBO_B, Level.VMBO_K, Level.VMBO_GT, Level.HAVO),
        True,
    ),
    ("Westerkim Lyceum (demo)", "HAVO/VWO", (Level.HAVO, Level.VWO), True),
    ("Groenstrook VMBO (demo)", "VMBO groen", (Level.VMBO_B, Level.VMBO_K, Level.VMBO_GT), False),
    (
        "Meerzicht Scholengemeenschap (demo)",
        "Scholengemeenschap",
        (Level.PRO, Level.VMBO_B, Level.VMBO_K, Level.VMBO_GT, Level.HAVO, Level.VWO),
        False,
    ),
)

# Name pools: diverse on purpose (diacritics, tussenvoegsels, names from many backgrounds).
# fmt: off
FIRST_NAMES_GIRLS = (
    "Emma", "Julia", "Sophie", "Noa", "Tess", "Zoë", "Fenna", "Saar", "Liv", "Anouk", "Noor",
    "Yasmina", "Fatima", "Aïcha", "Meryem", "Elif", "Zeynep", "Ilona", "Małgorzata", "Zuzanna",
    "Thảo", "Linh", "Mai", "Priya", "Ananya", "Chloé", "Inès", "Léa", "Ingrid", "Siobhán",
    "Maëlle", "Björk", "Ayşe", "Hân", "Amara", "Nadia", "Esmée", "Renée", "Daphné", "Isa",
)
FIRST_NAMES_BOYS = (
    "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Jesse", "Bram", "Thijs", "Luuk", "Stijn",
    "Mohammed", "Youssef", "Ayoub", "Emre", "Mehmet", "Çağan", "Łukasz", "Wojciech", "Jiří",
    "Minh", "Quốc", "Arjun", "Rohan", "Joël", "Noé", "René", "Sören", "Ørjan", "Jorrit", "Kofi",
    "Tariq", "Hüseyin", "Matéo", "André", "Rafaël", "Siëbe", "Mees", "Olivér", "Gijs",
)
# (tussenvoegsel, last name)
LAST_NAMES: tuple[tuple[str, str], ...] = (
    ("de", "Vries"), ("van der", "Berg"), ("", "Jansen"), ("", "Bakker"), ("van", "Dijk"),
    ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"),
    ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("van den", "Heuvel"),
    ("van", "Leeuwen"), ("", "Hendriks"), ("van der", "Linden"), ("ter", "Horst"),
    ("", "Çelik"), ("", "Yılmaz"), ("", "Öztürk"), ("", "Şahin"), ("El", "Amrani"),
    ("", "Bouzid"), ("", "Nguyễn"), ("", "Trần"), ("", "Phạm"), ("", "Kowalczyk"),
    ("", "Wiśniewska"), ("", "Dvořák"), ("", "Ørsted"), ("", "Sørensen"), ("", "Müller"),
    ("", "Schäfer"), ("", "Lefèvre"), ("", "Gonçalves"), ("", "Muñoz"), ("", "Patel"),
    ("", "Sharma"), ("", "Mensah"), ("", "Boateng"), ("", "O'Brien"), ("in 't", "Veld"),
    ("van 't", "Hof"), ("", "Doğan"), ("", "Kaya"), ("", "Ramdin"), ("", "Ramlal"),
    ("", "Wong"),
)
BIRTH_COUNTRIES = (
    ("Nederland", 85), ("Turkije", 3), ("Marokko", 3), ("Polen", 3), ("Vietnam", 2),
    ("India", 2), ("Suriname", 2),
)
# fmt: on
