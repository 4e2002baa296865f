"""The README documents every webhook event type with the catalogue's own sample payload."""

from __future__ import annotations

import json
import re
from pathlib import Path

from altjung.events.catalogue import CATALOGUE
from altjung.notifications.deliveries import CONTACT_EVENT_TYPES, WEBHOOK_EVENT_TYPES

README = Path(__file__).resolve().parents[3] / "services" / "notifications" / "README.md"


def _documented() -> dict[str, dict]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"### `([a-z_.]+)` \(version \d+\)\n.*?\n```json\n(.*?)\n```", text, flags=re.S)
    return {type_: json.loads(body) for type_, body in blocks}


def test_every_webhook_event_type_has_its_sample_in_the_readme():
    documented = _documented()
    assert set(documented) == set(WEBHOOK_EVENT_TYPES)
    for type_, envelope in documented.items():
        assert envelope["type"] == type_
        assert envelope["version"] == CATALOGUE[type_].VERSION
        assert envelope["payload"] == CATALOGUE[type_].SAMPLE, f"{type_}: README sample is stale"
        assert ("contacts" in envelope) == (type_ in CONTACT_EVENT_TYPES)


def test_the_readme_shows_verification_in_python_and_javascript_and_the_recipes():
    text = README.read_text(encoding="utf-8")
    for needle in ("from standardwebhooks import Webhook", 'import { Webhook } from "standardwebhooks"',
                   "**n8n.**", "**Make.**", "Brevo", "CleverReach"):
        assert needle in text
