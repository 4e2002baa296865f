"""The programme's statistical categories: age bands, target groups, end reasons, Bundesländer."""

from __future__ import annotations

import datetime as dt

from altjung.federation.domain.months import add_months

#: A person or Patenschaft whose category is not (yet) known, e.g. before its event arrived.
UNKNOWN = "unknown"

#: Mentor age bands, in report order, with their German labels.
MENTOR_AGE_BANDS: dict[str, str] = {
    "under_50": "unter 50 Jahre",
    "50_64": "50 bis 64 Jahre",
    "65_74": "65 bis 74 Jahre",
    "75_plus": "75 Jahre und älter",
}

#: Mentee age bands, in report order, with their German labels.
MENTEE_AGE_BANDS: dict[str, str] = {
    "minor": "unter 18 Jahre",
    "18_26": "18 bis 26 Jahre",
    "27_plus": "27 Jahre und älter",
}

#: Target groups of the programme, in report order, with their German labels.
TARGET_GROUPS: dict[str, str] = {
    "refugee": "Geflüchtete",
    "low_formal_education": "Geringe formale Bildung",
    "single_parent": "Alleinerziehende",
    "migration_background": "Migrationshintergrund",
    "other": "Sonstige",
}

#: Why a Patenschaft ended, in report order, with their German labels.
END_REASONS: dict[str, str] = {
    "goal_reached": "Ziel erreicht",
    "moved_away": "Umzug",
    "no_time": "Keine Zeit mehr",
    "did_not_fit": "Passte nicht",
    "other": "Sonstiger Grund",
}

#: How a Patenschaft ended measured against the programme's commitment of twelve months.
ENDINGS: dict[str, str] = {"planned": "nach mindestens 12 Monaten", "early": "vorzeitig (unter 12 Monaten)"}

#: The programme's commitment: a Tandem meets for at least this many months.
COMMITMENT_MONTHS = 12

#: The 16 German Länder by ISO 3166-2 code, with their German names.
BUNDESLAENDER: dict[str, str] = {
    "DE-BW": "Baden-Württemberg",
    "DE-BY": "Bayern",
    "DE-BE": "Berlin",
    "DE-BB": "Brandenburg",
    "DE-HB": "Bremen",
    "DE-HH": "Hamburg",
    "DE-HE": "Hessen",
    "DE-MV": "Mecklenburg-Vorpommern",
    "DE-NI": "Niedersachsen",
    "DE-NW": "Nordrhein-Westfalen",
    "DE-RP": "Rheinland-Pfalz",
    "DE-SL": "Saarland",
    "DE-SN": "Sachsen",
    "DE-ST": "Sachsen-Anhalt",
    "DE-SH": "Schleswig-Holstein",
    "DE-TH": "Thüringen",
}

#: German label of the unknown category, whatever the dimension.
UNKNOWN_LABEL = "unbekannt"


def age_in(birth_year: int | None, on: dt.date) -> int | None:
    """Age reached in the year of `on`. Only the birth year is known, so this is the
    statistical offices' 'Geburtsjahrgang' age, at most one year above the exact age."""
    return None if birth_year is None else on.year - birth_year


def mentor_age_band(birth_year: int | None, on: dt.date) -> str:
    age = age_in(birth_year, on)
    if age is None:
        return UNKNOWN
    if age < 50:
        return "under_50"
    if age < 65:
        return "50_64"
    return "65_74" if age < 75 else "75_plus"


def mentee_age_band(birth_year: int | None, on: dt.date) -> str:
    age = age_in(birth_year, on)
    if age is None:
        return UNKNOWN
    if age < 18:
        return "minor"
    return "18_26" if age <= 26 else "27_plus"


def target_group(code: str | None) -> str:
    """A known target group code; anything else the catalogue let through counts as 'other'."""
    if code is None:
        return UNKNOWN
    return code if code in TARGET_GROUPS else "other"


def end_reason(code: str | None) -> str:
    """A known end reason code; anything else counts as 'other'."""
    return code if code in END_REASONS else "other"


def bundesland(code: str | None) -> str:
    """A Land code such as 'DE-BY' (case-insensitive, 'BY' accepted), or 'unknown'."""
    if not code:
        return UNKNOWN
    normalised = code.strip().upper()
    normalised = normalised if normalised.startswith("DE-") else f"DE-{normalised}"
    return normalised if normalised in BUNDESLAENDER else UNKNOWN


def ending(started_on: dt.date | None, ended_on: dt.date) -> str:
    """'early' when the Patenschaft ended before its twelve months, else 'planned'.
    Without a known start the duration cannot be judged: 'unknown'."""
    if started_on is None:
        return UNKNOWN
    return "early" if ended_on < add_months(started_on, COMMITMENT_MONTHS) else "planned"


def label(categories: dict[str, str], code: str) -> str:
    """The German label of a category code, 'unbekannt' for the unknown one."""
    return categories.get(code, UNKNOWN_LABEL)
