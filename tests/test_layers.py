"""The import-linter contract in pyproject.toml names every module of the package."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import toolkit

ROOT = Path(__file__).resolve().parent.parent


def test_every_module_has_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    named = {m.strip() for layer in layers["layers"] for m in layer.split(":")}
    modules = {f"toolkit.{info.name}" for info in pkgutil.iter_modules(toolkit.__path__)} - {
        "toolkit._shipped"
    }
    assert modules - named == set(), "add these modules to a layer in pyproject.toml"
    assert named - modules == set(), "these layers name modules that do not exist"
