"""notifications HTTP API."""
