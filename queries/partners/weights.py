"""Weights of the partner finder's six components: the default file, overrides, validation.

The default weights live in ``queries/partner_weights.yaml`` (configuration, not data). A caller
may override them with a mapping, a YAML/JSON file or a text like ``"theme_fit=0.5,budget=0.2"``
(short names allowed); they are normalised to add up to 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph.yaml_text import load_yaml

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "partner_weights.yaml"
COMPONENTS = ("theme_fit", "geographic_fit", "budget_fit", "past_collaboration", "network_proximity",
              "recent_activity")
SHORT_NAMES = {"theme": "theme_fit", "geography": "geographic_fit", "geo": "geographic_fit", "region": "geographic_fit",
               "budget": "budget_fit", "collaboration": "past_collaboration", "proximity": "network_proximity",
               "network": "network_proximity", "activity": "recent_activity", "recency": "recent_activity"}


class PartnerWeights(BaseModel):
    """Weights of the six components; normalised to add up to 1."""

    model_config = ConfigDict(extra="forbid")

    theme_fit: float = Field(ge=0, le=1000)
    geographic_fit: float = Field(ge=0, le=1000)
    budget_fit: float = Field(ge=0, le=1000)
    past_collaboration: float = Field(ge=0, le=1000)
    network_proximity: float = Field(ge=0, le=1000)
    recent_activity: float = Field(ge=0, le=1000)

    @model_validator(mode="after")
    def _some_weight(self) -> "PartnerWeights":
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one weight must be above 0")
        return self

    def normalised(self) -> dict[str, float]:
        values = self.model_dump()
        total = sum(values.values())
        return {k: round(v / total, 4) for k, v in values.items()}


class WeightsError(ValueError):
    """Weights that cannot be used; the message says which and what to do."""


def _read_weights_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise WeightsError(f"cannot read the weights file {path}: {error.strerror or error}") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else load_yaml(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise WeightsError(f"{path} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {error}") from None
    if not isinstance(data, dict):
        raise WeightsError(f"{path} must map component names to numbers, e.g. 'theme_fit: 0.4'")
    return data


def _canonical(values: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = SHORT_NAMES.get(str(key).strip(), str(key).strip())
        if name not in COMPONENTS:
            raise WeightsError(f"{where}: unknown component {key!r}; the components are {', '.join(COMPONENTS)}")
        out[name] = value
    return out


def load_weights(source: str | Path | dict[str, Any] | PartnerWeights | None = None) -> PartnerWeights:
    """Weights from the default file, overridden by ``source``: a mapping, a file (YAML or JSON)
    or a text like ``"theme_fit=0.5,budget=0.2"`` (short names allowed). Components that
    ``source`` does not name keep their default weight."""
    if isinstance(source, PartnerWeights):
        return source
    values = _canonical(_read_weights_file(WEIGHTS_FILE), str(WEIGHTS_FILE))
    where = "weights"
    if isinstance(source, dict):
        values.update(_canonical(source, where))
    elif source is not None and str(source).strip():
        text = str(source).strip()
        path = Path(text)
        if "=" not in text and (path.suffix in (".yaml", ".yml", ".json") or path.exists()):
            values.update(_canonical(_read_weights_file(path), str(path)))  # the file's keys override
            where = str(path)
        else:
            for part in text.split(","):
                if not part.strip():
                    continue
                if "=" not in part:
                    raise WeightsError(f"weights: {part.strip()!r} is not NAME=NUMBER (e.g. theme_fit=0.5)")
                key, number = part.split("=", 1)
                try:
                    value = float(number)
                except ValueError:
                    raise WeightsError(f"weights: {number.strip()!r} for {key.strip()} is not a number") from None
                values.update(_canonical({key: value}, where))
    try:
        return PartnerWeights.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'weights'}: {e['msg']}" for e in error.errors())
        raise WeightsError(f"{where}: {problems}") from None


__all__ = ["COMPONENTS", "PartnerWeights", "WeightsError", "WEIGHTS_FILE", "load_weights"]
