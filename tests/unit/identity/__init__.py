"""Unit tests of the identity service."""
