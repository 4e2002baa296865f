"""notifications HTTP API: webhook endpoints and deliveries."""
