"""The OAuth 2 / OIDC authorization server, built from Authlib's server classes."""
