"""Build settings kept in a TOML file: ``--config FILE``, or ``graphbuild.toml`` in the current
folder when there is one. Options given on the command line win; rules switched off in both
places are all switched off.

```toml
[build]
disable_rules = ["event.type.promise"]
min_confidence = 0.7
```
"""

from __future__ import annotations

import tomllib
from pathlib import Path

DEFAULT_CONFIG = Path("graphbuild.toml")
BUILD_KEYS = {"disable_rules": list, "min_confidence": float, "model": str, "processes": int, "store": str}


class ConfigError(ValueError):
    """A config file that cannot be read or holds an unknown or mistyped setting."""


def build_settings(path: Path | None) -> dict:
    """The ``[build]`` table of the config file (``path``, else ./graphbuild.toml if present), checked."""
    if path is None:
        if not DEFAULT_CONFIG.is_file():
            return {}
        path = DEFAULT_CONFIG
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"{path}: cannot read ({err.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from None
    unknown_tables = sorted(set(data) - {"build"})
    if unknown_tables:
        raise ConfigError(f"{path}: unknown table [{unknown_tables[0]}] (only [build] is read)")
    settings = data.get("build", {})
    for key, value in settings.items():
        expected = BUILD_KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{path}: unknown setting {key!r} in [build] (known: {', '.join(sorted(BUILD_KEYS))})")
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = settings[key] = float(value)
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ConfigError(f"{path}: [build] {key} must be {expected.__name__}, not {value!r}")
        if key == "disable_rules" and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{path}: [build] disable_rules must be a list of rule ids")
        if key == "min_confidence" and not 0.0 <= value <= 1.0:
            raise ConfigError(f"{path}: [build] min_confidence must be between 0 and 1, not {value}")
    return settings
