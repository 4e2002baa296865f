"""Alt & Jung matching service: profiles, matching engine and Patenschaften."""
