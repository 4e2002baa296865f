"""Great-circle distances: one pair (haversine) and many pairs (chords between unit vectors)."""

from __future__ import annotations

import math

import numpy as np

#: Mean earth radius (IUGG), in km.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, shape (3, n), from degrees."""
    phi, lmb = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)])


def chord2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared chord length between unit vectors a and b (shapes broadcast after the first axis).

    Differences rather than 2 - 2·dot keep full precision for points a few metres apart.
    """
    dx, dy, dz = a[0] - b[0], a[1] - b[1], a[2] - b[2]
    return dx * dx + dy * dy + dz * dz


def chord2_to_km(c2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km for a squared chord; equals the haversine distance."""
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.sqrt(c2) / 2, 1.0))


def km_to_chord2(km: np.ndarray) -> np.ndarray:
    """Squared chord for a great-circle distance in km (monotonic, so limits compare as chords)."""
    half_angle = np.minimum(np.asarray(km, dtype=np.float64) / (2 * EARTH_RADIUS_KM), math.pi / 2)
    return (2 * np.sin(half_angle)) ** 2
