"""identity's HTTP API."""
