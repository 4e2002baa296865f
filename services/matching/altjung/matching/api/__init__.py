"""matching HTTP API."""
