"""German labels for the category codes the APIs return (the codes themselves stay in the APIs)."""

from __future__ import annotations

TARGET_GROUPS = {
    "refugee": "Geflüchtete",
    "low_formal_education": "geringe formale Bildung",
    "single_parent": "alleinerziehend",
    "migration_background": "Migrationshintergrund",
    "other": "sonstige",
}


def person_name(person: dict | None) -> str:
    if not person:
        return "–"
    name = f"{person.get('first_name', '')} {person.get('last_name', '')}".strip()
    return name or "(gelöscht)"

#: Federation's figures, in the order the BaS reads them.
FIGURES = {
    "started": "Begonnene Patenschaften",
    "active": "Laufende Patenschaften (Ende des Zeitraums)",
    "ended": "Beendete Patenschaften",
    "proposed": "Vorgeschlagene Tandems",
    "mentors_applied": "Interessierte Patinnen und Paten",
    "mentors_screened": "Geprüfte Patinnen und Paten",
    "mentors_active": "Aktive Patinnen und Paten",
    "mentees_applied": "Angemeldete Mentees",
    "mentees_waiting": "Wartende Mentees",
    "mean_waiting_days": "Mittlere Wartezeit (Tage)",
    "mean_registration_to_start_days": "Anmeldung bis Beginn (Tage)",
    "mean_duration_days": "Mittlere Dauer beendeter Patenschaften (Tage)",
    "share_waiting_matched_percent": "Anteil vermittelter Wartender (%)",
    "share_ended_early_percent": "Vor 12 Monaten beendet (%)",
    "share_checkins_on_schedule_percent": "Begleitung im Takt (%)",
}
#: The columns of the BaS's per-site table.
SITE_COLUMNS = ("started", "active", "ended", "mentees_waiting", "mentors_active")


def cell(value: dict | None) -> str:
    """A federation cell as printed: "·" suppressed (a count of 1 to 4 hides there), "–" no value."""
    if not value:
        return "–"
    if value.get("suppressed"):
        return "·"
    return "–" if value.get("value") is None else str(value["value"])


def german_date(value: str | None) -> str:
    """2026-10-12 (or an ISO timestamp) as 12.10.2026; empty stays empty."""
    if not value:
        return ""
    year, month, day = str(value)[:10].split("-")
    return f"{day}.{month}.{year}"
