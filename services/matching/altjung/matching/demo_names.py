"""Names for the demo data: German names for the Patinnen and Paten, names fitting each mentee's
language of origin. Invented combinations; any likeness to a real person is chance."""

from __future__ import annotations

GERMAN_FEMALE = ("Ursula", "Monika", "Petra", "Sabine", "Gabriele", "Renate", "Brigitte", "Karin", "Helga",
                 "Christa", "Ingrid", "Elke", "Barbara", "Heike", "Birgit", "Angelika", "Marion", "Gisela",
                 "Doris", "Hannelore", "Jutta", "Annette", "Susanne", "Cornelia", "Roswitha", "Irmgard")
GERMAN_MALE = ("Klaus", "Peter", "Jürgen", "Wolfgang", "Hans", "Michael", "Thomas", "Bernd", "Dieter", "Manfred",
               "Uwe", "Rainer", "Werner", "Gerhard", "Frank", "Horst", "Günter", "Joachim", "Helmut", "Rolf",
               "Detlef", "Lothar", "Norbert", "Heinz", "Reinhard", "Volker")
GERMAN_ANY = ("Kim", "Alex", "Robin", "Sascha", "Andrea", "Toni")
GERMAN_LAST = ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
               "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun",
               "Zimmermann", "Krüger", "Hartmann", "Lange", "Schmitt", "Krause", "Lehmann", "Köhler", "Herrmann",
               "König", "Walter", "Kaiser", "Fuchs", "Peters", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Vogel",
               "Friedrich", "Keller", "Günther", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann",
               "Franke", "Albrecht", "Schuster", "Ludwig", "Böhm", "Winter", "Kraus", "Schumacher", "Krämer",
               "Vogt", "Stein", "Jäger", "Sommer", "Seidel", "Brandt", "Haas", "Schreiber", "Graf", "Dietrich",
               "Ziegler", "Kuhn", "Engel", "Horn", "Busch", "Bergmann", "Voigt", "Sauer", "Arnold", "Pfeiffer")

#: language of origin -> (first names, family names)
BY_LANGUAGE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ar": (("Ahmad", "Mohammad", "Omar", "Yousef", "Khaled", "Hamza", "Rami", "Amal", "Layla", "Rania", "Noor",
            "Fatima", "Mariam", "Huda", "Sara", "Tarek"),
           ("Al-Hassan", "Haddad", "Khalil", "Nasser", "Saleh", "Ibrahim", "Mansour", "Darwish", "Hamdan",
            "Al-Ahmad", "Sabbagh", "Kassem")),
    "ku": (("Rojin", "Dilan", "Baran", "Azad", "Berfin", "Zilan", "Rêber", "Hêvî"),
           ("Hesen", "Xelil", "Ehmed", "Silêman", "Mihemed", "Osman")),
    "uk": (("Olena", "Iryna", "Oksana", "Kateryna", "Yuliia", "Anastasiia", "Dmytro", "Andrii", "Oleksandr",
            "Serhii", "Maksym", "Bohdan", "Sofiia", "Taras"),
           ("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko", "Oliinyk",
            "Marchenko", "Lysenko", "Savchenko", "Rudenko")),
    "prs": (("Ahmad", "Hamid", "Farid", "Zahra", "Mariam", "Shabnam", "Parwana", "Mursal", "Samir", "Bilal",
             "Nazanin", "Wahid", "Freshta"),
            ("Ahmadi", "Rahimi", "Karimi", "Hashimi", "Noori", "Sultani", "Amiri", "Haidari", "Sadat", "Mohammadi")),
    "ps": (("Gul", "Zarlasht", "Naveed", "Malalai", "Asad", "Wazhma", "Jamal", "Palwasha"),
           ("Popal", "Stanikzai", "Durrani", "Yousafzai", "Khan", "Wardak")),
    "fa": (("Reza", "Mehdi", "Parisa", "Shirin", "Niloofar", "Arash", "Dariush", "Leila", "Sina", "Maryam",
            "Kian", "Roya"),
           ("Hosseini", "Moradi", "Rezaei", "Jafari", "Tehrani", "Kazemi", "Sadeghi", "Nouri", "Farahani")),
    "ti": (("Yonas", "Filmon", "Merhawi", "Senait", "Helen", "Selam", "Samuel", "Tesfay", "Luwam", "Yordanos",
            "Awet", "Saba"),
           ("Tesfamariam", "Gebremedhin", "Haile", "Berhane", "Tekle", "Ghebreyesus", "Woldu", "Kidane",
            "Habte")),
    "tr": (("Emre", "Can", "Burak", "Mehmet", "Elif", "Zeynep", "Ayşe", "Merve", "Yusuf", "Deniz", "Selin",
            "Kerem", "Esra", "Onur"),
           ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan", "Koç")),
    "ru": (("Dmitri", "Sergei", "Anastasia", "Ekaterina", "Ivan", "Natalia", "Alexei", "Olga", "Maxim",
            "Svetlana", "Artjom", "Polina"),
           ("Iwanow", "Smirnow", "Kusnezow", "Popow", "Wolkow", "Sokolow", "Lebedew", "Morosow", "Petrow")),
    "so": (("Abdi", "Hodan", "Ayaan", "Farhan", "Hamdi", "Mohamed", "Sahra", "Liban", "Idil", "Khadar"),
           ("Warsame", "Farah", "Abdullahi", "Hassan", "Jama", "Osman", "Aden", "Nur")),
    "de": (("Kevin", "Justin", "Jessica", "Michelle", "Marvin", "Lea", "Nico", "Chantal", "Dennis", "Vanessa",
            "Tim", "Laura", "Jana", "Luca", "Celina", "Jonas"), GERMAN_LAST),
}

#: Which name list fits a mentee's languages: the first of these the mentee speaks natively.
ORIGIN_ORDER = ("ku", "ps", "prs", "ti", "so", "uk", "ar", "fa", "tr", "ru")

_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ş": "s", "ç": "c", "ğ": "g",
                        "ê": "e", "é": "e", " ": "", "-": ""})


def origin_of(languages: dict[str, str]) -> str:
    natives = {code for code, level in languages.items() if level == "native"}
    return next((code for code in ORIGIN_ORDER if code in natives), "de")


def email_of(first: str, last: str, number: int) -> str:
    return f"{first.lower().translate(_ASCII)}.{last.lower().translate(_ASCII)}{number}@mail.example"
