"""Pure security core of identity: passwords, MFA, signing keys, tokens, secrets, throttling."""
