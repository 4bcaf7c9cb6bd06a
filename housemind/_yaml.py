"""Reading the project's YAML data files (rule book, knowledge base, floor plans, methods).

libyaml's safe loader where PyYAML was built with it (several times faster: the safety
knowledge base alone took most of a second with the Python loader), else the Python one.
Either way only plain data is built, as with ``yaml.safe_load``.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

__all__ = ["load_yaml"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(stream: str | bytes | IO[str] | IO[bytes]) -> Any:
    """Parse one YAML document from text or an open file, as ``yaml.safe_load`` does."""
    return yaml.load(stream, Loader=_LOADER)  # noqa: S506 - a safe loader
