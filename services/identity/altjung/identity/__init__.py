"""Identity service: accounts, memberships, login, MFA and the OAuth 2 / OIDC authorization server."""
