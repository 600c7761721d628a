"""environment.yml (conda) and pyproject.toml (pip) must list the same packages and ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    out = {}
    for req in reqs:
        name, spec = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", req).groups()
        out[name.lower().replace("_", "-")] = spec.replace(" ", "")
    return out


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    for extra in env["dependencies"]:
        if isinstance(extra, dict):  # the pip: section, pip syntax
            deps += [re.sub(r"^([A-Za-z0-9_.\-]+)", r"\1 ", d) for d in extra["pip"]
                     if not d.startswith("-")]  # fmt: skip
    for dep in deps:
        name, _, spec = dep.partition(" ")
        if name in {"python", "pip"}:
            continue
        spec = spec.replace(" ", "")
        # conda writes "==0.13.*" as "0.13.*"
        if spec and spec[0].isdigit():
            spec = "==" + spec
        out[name.lower()] = spec
    return out


def test_same_packages_and_ranges():
    pip, conda = _pip_requirements(), _conda_requirements()
    assert sorted(pip) == sorted(conda), (
        f"only in pyproject.toml: {sorted(set(pip) - set(conda))}; "
        f"only in environment.yml: {sorted(set(conda) - set(pip))}"
    )
    differing = {k: (pip[k], conda[k]) for k in pip if pip[k] != conda[k]}
    assert not differing, f"version ranges differ (pyproject, environment): {differing}"


def test_parsers_see_the_packages():
    # guards the test above against silently comparing two empty lists
    assert {"pandas", "seaborn", "pytest", "nbval"} <= set(_pip_requirements())
    assert _conda_requirements()["seaborn"] == "==0.13.*"
