"""Codes the engine knows and their German and English labels."""

from __future__ import annotations

#: Language levels (CEFR plus "native"), weakest first; the rank is the index + 1.
LEVEL_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
LEVELS = frozenset(LEVEL_ORDER)
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVEL_ORDER, start=1)}

#: Parts of a day a Tandem can meet in.
SLOTS = ("morning", "afternoon", "evening")

#: Areas a mentor supports in and a mentee needs support in: code -> (German, English).
AREA_LABELS = {
    "german_language": ("Deutsch lernen", "German language"),
    "school_training": ("Schule & Ausbildung", "School & training"),
    "work": ("Arbeit", "Work"),
    "authorities_everyday": ("Behörden & Alltag", "Authorities & everyday life"),
    "housing": ("Wohnen", "Housing"),
    "leisure_culture": ("Freizeit & Kultur", "Leisure & culture"),
    "health": ("Gesundheit", "Health"),
}
AREAS = frozenset(AREA_LABELS)

LANGUAGE_LABELS = {
    "ar": ("Arabisch", "Arabic"),
    "uk": ("Ukrainisch", "Ukrainian"),
    "prs": ("Dari", "Dari"),
    "fa": ("Farsi", "Farsi"),
    "ps": ("Paschtu", "Pashto"),
    "ti": ("Tigrinya", "Tigrinya"),
    "tr": ("Türkisch", "Turkish"),
    "ku": ("Kurdisch", "Kurdish"),
    "ru": ("Russisch", "Russian"),
    "so": ("Somali", "Somali"),
    "en": ("Englisch", "English"),
    "fr": ("Französisch", "French"),
    "es": ("Spanisch", "Spanish"),
    "it": ("Italienisch", "Italian"),
    "pl": ("Polnisch", "Polish"),
    "de": ("Deutsch", "German"),
}

INTEREST_LABELS = {
    "cooking": ("Kochen", "cooking"),
    "football": ("Fußball", "football"),
    "music": ("Musik", "music"),
    "reading": ("Lesen", "reading"),
    "hiking": ("Wandern", "hiking"),
    "crafts": ("Handwerken", "crafts"),
    "gardening": ("Gärtnern", "gardening"),
    "chess": ("Schach", "chess"),
    "art": ("Kunst", "art"),
    "cycling": ("Radfahren", "cycling"),
    "technology": ("Technik", "technology"),
    "theatre": ("Theater", "theatre"),
    "swimming": ("Schwimmen", "swimming"),
    "board_games": ("Brettspiele", "board games"),
    "photography": ("Fotografie", "photography"),
}

_WEEKDAYS = (("Mo", "Mon"), ("Di", "Tue"), ("Mi", "Wed"), ("Do", "Thu"), ("Fr", "Fri"),
             ("Sa", "Sat"), ("So", "Sun"))
_PARTS = {"morning": ("vormittags", "morning"), "afternoon": ("nachmittags", "afternoon"),
          "evening": ("abends", "evening")}


def language(code: str) -> tuple[str, str]:
    return LANGUAGE_LABELS.get(code, (code, code))


def level(code: str) -> tuple[str, str]:
    return ("Muttersprache", "native") if code == "native" else (code, code)


def area(code: str) -> tuple[str, str]:
    return AREA_LABELS.get(code, (code, code))


def interest(code: str) -> tuple[str, str]:
    return INTEREST_LABELS.get(code, (code, code))


def slot(day: int, part: str) -> tuple[str, str]:
    (day_de, day_en), (part_de, part_en) = _WEEKDAYS[day], _PARTS[part]
    return f"{day_de} {part_de}", f"{day_en} {part_en}"


def decimal(value: float, digits: int = 1) -> tuple[str, str]:
    """A number written the German way ("4,2") and the English way ("4.2")."""
    english = f"{value:.{digits}f}"
    return english.replace(".", ","), english


def joined(pairs: list[tuple[str, str]]) -> tuple[str, str]:
    return ", ".join(de for de, _ in pairs), ", ".join(en for _, en in pairs)
