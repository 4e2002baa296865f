"""What every Alt & Jung service shares: app factory, settings, database and tenancy, auth, the bus."""
