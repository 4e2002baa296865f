"""Postcode centroids of the demo cities, so that a postcode alone gives a place to match on.

Only approximate centres of postcode areas (public knowledge, no addresses). A postcode not listed
leaves the coordinates empty: staff enter them, or the person is not matched until then.
"""

from __future__ import annotations

import math

#: postcode -> (lat, lon, district)
POSTCODES: dict[str, tuple[float, float, str]] = {
    # Köln
    "50667": (50.9385, 6.9590, "Altstadt-Nord"), "50668": (50.9510, 6.9630, "Neustadt-Nord"),
    "50670": (50.9510, 6.9480, "Neustadt-Nord"), "50672": (50.9400, 6.9350, "Neustadt-Nord"),
    "50674": (50.9310, 6.9330, "Neustadt-Süd"), "50676": (50.9300, 6.9500, "Altstadt-Süd"),
    "50677": (50.9200, 6.9500, "Neustadt-Süd"), "50678": (50.9190, 6.9640, "Altstadt-Süd"),
    "50733": (50.9640, 6.9520, "Nippes"), "50735": (50.9750, 6.9650, "Riehl"),
    "50737": (50.9800, 6.9400, "Longerich"), "50739": (50.9780, 6.9200, "Bilderstöckchen"),
    "50823": (50.9500, 6.9150, "Neuehrenfeld"), "50825": (50.9480, 6.8980, "Ehrenfeld"),
    "50827": (50.9650, 6.8950, "Bickendorf"), "50859": (50.9400, 6.8200, "Lövenich"),
    "50931": (50.9280, 6.9170, "Lindenthal"), "50933": (50.9400, 6.8900, "Müngersdorf"),
    "50935": (50.9180, 6.9020, "Sülz"), "50937": (50.9130, 6.9200, "Sülz"),
    "50939": (50.9050, 6.9150, "Klettenberg"), "50968": (50.9050, 6.9600, "Bayenthal"),
    "50969": (50.9000, 6.9350, "Zollstock"), "51063": (50.9680, 7.0080, "Mülheim"),
    "51065": (50.9530, 7.0200, "Buchforst"), "51069": (50.9900, 7.0450, "Dellbrück"),
    "51103": (50.9390, 7.0150, "Kalk"), "51105": (50.9250, 7.0050, "Humboldt/Gremberg"),
    "51107": (50.9300, 7.0500, "Ostheim"), "51143": (50.8950, 7.0600, "Porz"),
    # Leipzig
    "04103": (51.3430, 12.3900, "Zentrum-Ost"), "04105": (51.3500, 12.3700, "Zentrum-Nord"),
    "04107": (51.3300, 12.3750, "Zentrum-Süd"), "04109": (51.3400, 12.3700, "Zentrum"),
    "04155": (51.3650, 12.3650, "Gohlis-Süd"), "04157": (51.3780, 12.3700, "Gohlis-Nord"),
    "04177": (51.3400, 12.3350, "Lindenau"), "04178": (51.3350, 12.2900, "Rückmarsdorf"),
    "04179": (51.3500, 12.3200, "Leutzsch"), "04209": (51.3200, 12.2800, "Grünau-Mitte"),
    "04229": (51.3200, 12.3300, "Plagwitz"), "04249": (51.2950, 12.3200, "Knautkleeberg"),
    "04275": (51.3180, 12.3750, "Südvorstadt"), "04277": (51.3050, 12.3800, "Connewitz"),
    "04279": (51.2950, 12.3950, "Lößnig"), "04289": (51.3050, 12.4350, "Probstheida"),
    "04299": (51.3200, 12.4300, "Stötteritz"), "04315": (51.3450, 12.4150, "Neustadt-Neuschönefeld"),
    "04317": (51.3350, 12.4050, "Reudnitz"), "04318": (51.3450, 12.4400, "Sellerhausen"),
    "04319": (51.3400, 12.4800, "Engelsdorf"), "04328": (51.3600, 12.4500, "Paunsdorf"),
    "04329": (51.3700, 12.4400, "Mockau-Ost"), "04347": (51.3650, 12.4150, "Schönefeld"),
    "04349": (51.3850, 12.4300, "Thekla"), "04356": (51.4050, 12.3850, "Seehausen"),
    "04357": (51.3800, 12.3950, "Mockau-Süd"),
}


def coordinates_of(postcode: str) -> tuple[float, float] | None:
    place = POSTCODES.get(postcode.strip())
    return (place[0], place[1]) if place else None


def nearest_postcode(lat: float, lon: float, *, prefix: str = "") -> str:
    """The listed postcode (starting with ``prefix``) whose centre is nearest (demo data)."""
    scale = math.cos(math.radians(lat))
    candidates = [(code, p) for code, p in POSTCODES.items() if code.startswith(prefix)]
    return min(candidates, key=lambda c: (c[1][0] - lat) ** 2 + ((c[1][1] - lon) * scale) ** 2)[0]
