"""federation HTTP API."""
