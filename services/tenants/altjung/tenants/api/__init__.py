"""tenants HTTP API."""
