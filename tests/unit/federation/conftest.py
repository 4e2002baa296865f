"""Makes the federation package, and the stream helpers beside this file, importable."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_SERVICE = Path(__file__).resolve().parents[3] / "services" / "federation"



def _installed() -> bool:
    try:
        return importlib.util.find_spec("altjung.federation") is not None
    except ModuleNotFoundError:
        return False


sys.path.insert(0, str(Path(__file__).resolve().parent))  # federation_stream, in any import mode
if not _installed():  # pragma: no cover - depends on how the environment was set up
    sys.path.insert(0, str(_SERVICE))
