"""Alt & Jung notifications service: webhook endpoints and deliveries, transactional e-mail."""
