"""tenants: the partner-site registry, provisioning and per-site settings."""
