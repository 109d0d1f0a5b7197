"""The one strict base and the validators the kit's models share (neglect_kit/validators.py)."""

import importlib
import inspect
import pkgutil
from datetime import date
from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

import neglect_kit
from neglect_kit.validators import Strict, choice, not_future, one_child


def test_every_model_of_the_kit_refuses_unknown_fields_through_the_one_base():
    loose = []
    for module in pkgutil.walk_packages(neglect_kit.__path__, "neglect_kit."):
        if ".migrations" in module.name:
            continue
        for name, obj in vars(importlib.import_module(module.name)).items():
            if (inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == module.name
                    and not issubclass(obj, Strict)):
                loose.append(f"{module.name}.{name}")
    assert loose == []


class _Visit(Strict):
    child: Annotated[str, one_child("one child a visit")]
    on: Annotated[date, not_future("{day} is in the future")]
    kind: Annotated[str, choice(("home", "school"), "'{value}' is not a kind: choose from {choices}")] = "home"


@pytest.mark.parametrize(("body", "message"), [
    ({"child": ["ruby", "jack"], "on": date(2024, 1, 1)}, "one child a visit"),
    ({"child": "ruby", "on": date(2024, 3, 2)}, "2 Mar 2024 is in the future"),
    ({"child": "ruby", "on": date(2024, 1, 1), "kind": "clinic"}, "'clinic' is not a kind: choose from home, school"),
    ({"child": "ruby", "on": date(2024, 1, 1), "colour": "red"}, "colour\n  Extra inputs are not permitted"),
])
def test_the_shared_validators_refuse_in_the_models_own_words(body, message):
    with pytest.raises(ValidationError, match=message):
        _Visit.model_validate(body, context={"today": date(2024, 3, 1)})
    assert _Visit.model_validate({"child": ["ruby"], "on": date(2024, 3, 1)}, context={"today": date(2024, 3, 1)}
                                 ).child == "ruby"
