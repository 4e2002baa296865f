"""portal keeps no data of its own yet; an empty metadata keeps its database and migrations uniform."""

from __future__ import annotations

from altjung.kit.db import make_base

Base = make_base()
