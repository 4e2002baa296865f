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
