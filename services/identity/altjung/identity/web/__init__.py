"""identity's HTML pages: login, MFA, first-party authorization, invitations, password reset."""
