"""Every figure named in toolkit.plots resolves to a function of its submodule."""

from __future__ import annotations

import importlib
import inspect

import pytest

import toolkit.plots as plots


@pytest.mark.parametrize("name", sorted(plots._WHERE))
def test_registered_figures_resolve(name):
    function = getattr(plots, name)
    assert callable(function)
    module = importlib.import_module(f"toolkit.plots.{plots._WHERE[name]}")
    assert getattr(module, name) is function


def test_public_figure_functions_are_registered():
    unregistered = []
    for sub in set(plots._WHERE.values()):
        module = importlib.import_module(f"toolkit.plots.{sub}")
        for name, obj in vars(module).items():
            if (
                inspect.isfunction(obj)
                and obj.__module__ == module.__name__
                and not name.startswith("_")
                and name in getattr(module, "__all__", [])
            ) and name not in plots._WHERE:
                unregistered.append(f"{sub}.{name}")
    assert not unregistered, f"add to toolkit.plots._WHERE: {unregistered}"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        plots.nope  # noqa: B018
