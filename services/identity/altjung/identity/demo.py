"""Demo accounts of the embedded run, and how to get a token for them."""

from __future__ import annotations

from altjung.kit.runtime import Runtime


def seed(runtime: Runtime, platform: object = None) -> None:
    """Print how to obtain demo tokens (full accounts with passwords and MFA come with identity)."""
    print("Demo: Zugangstoken für die API / API token for the demo:\n"
          "  .venv/bin/altjung dev-token --role platform_admin\n"
          "  .venv/bin/altjung dev-token --role coordinator --site koeln", flush=True)
