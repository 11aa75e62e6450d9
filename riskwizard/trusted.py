"""Rebuild questionnaire models from plain data that this very code validated before, without
pydantic validation.

Validating the seven bundled questionnaires (and building the validators of the ~40 model classes,
which the first validation does) is a large part of riskwizard's start-up. The parsed-questionnaire
cache (``yamlcache``) marks an entry as checked once its data validated and passed the loader's
checks with the current code (see ``loader.check_key``); such data is rebuilt here instead.

This is only correct because the models' validators *check* and never change a value (text stays
the text given, an after-validator returns its model unchanged): building the objects from the
same plain data is then what validation would have produced. What is still checked here is the
shape: every key is a field of its model, required fields are present, every value has the type its
field declares (text is text, a number a number, a choice of union picks one branch). Anything else
raises :class:`NotTrusted` and the caller validates the data as usual. Length caps, patterns and
the cross-checks (unique ids, known tiers...) are what is skipped: the checked mark says they passed.
``tests/test_trusted.py`` compares the result with pydantic's for every bundled file.
"""

from __future__ import annotations

import copy
import enum
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import BaseModel, Discriminator, Tag
from pydantic.fields import FieldInfo

Convert = Callable[[Any], Any]


class NotTrusted(Exception):
    """The data does not have the shape of the model: validate it instead."""


def construct(model_cls: type[BaseModel], data: Any) -> Any:
    """``model_cls`` built from ``data`` as validation would build it (see the module's docstring)."""
    return _model(model_cls, data)


def _model(cls: type[BaseModel], data: Any) -> Any:
    if type(data) is not dict:
        raise NotTrusted(f"{cls.__name__}: expected a mapping")
    plan = _plan(cls)
    for key in data:
        if key not in plan:
            raise NotTrusted(f"{cls.__name__}: unknown field {key!r}")
    values: dict[str, Any] = {}
    for name, (convert, default, factory) in plan.items():  # in field order, as validation fills them
        if name in data:
            values[name] = convert(data[name])
        elif factory is not None:
            values[name] = factory()
        elif default is _REQUIRED:
            raise NotTrusted(f"{cls.__name__}: the required field {name!r} is missing")
        else:
            values[name] = default if type(default) in _IMMUTABLE else copy.deepcopy(default)
    # what BaseModel.model_construct sets, without its per-field overhead (it inspects the signature of
    # every default factory on every call: ten times slower than validating)
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(data))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


_set = object.__setattr__
_REQUIRED = object()
_IMMUTABLE = (str, int, float, bool, type(None), tuple, frozenset)


@cache
def _plan(cls: type[BaseModel]) -> dict[str, tuple[Convert, Any, Callable[[], Any] | None]]:
    """Per field, in order: its converter, its default (or _REQUIRED) and its default factory."""
    if cls.model_config.get("extra") == "allow" or cls.__pydantic_root_model__ or cls.__private_attributes__ \
            or cls.__pydantic_post_init__:
        raise TypeError(f"{cls.__name__}: not a plain model")  # a programming error: not handled here
    plan = {}
    fields: dict[str, FieldInfo] = cls.__pydantic_fields__
    for name, info in fields.items():
        if info.alias not in (None, name) or info.validation_alias not in (None, name):
            raise TypeError(f"{cls.__name__}.{name}: aliases are not supported")  # a programming error
        factory = info.default_factory
        if factory is not None and factory not in (list, dict):
            raise TypeError(f"{cls.__name__}.{name}: only list and dict default factories are supported")
        default = _REQUIRED if info.is_required() else info.default
        plan[name] = (_converter(info.annotation, [*info.metadata, info]), default, factory)
    return plan


def _discriminator(metadata: list[Any]) -> Any:
    for item in metadata:
        if isinstance(item, Discriminator):
            return item.discriminator
        if isinstance(item, FieldInfo) and item.discriminator is not None:
            return item.discriminator
    return None


def _converter(annotation: Any, metadata: list[Any]) -> Convert:
    """A function from plain data to the value of a field of this annotation (or NotTrusted)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        return _converter(inner, [*more, *metadata])
    if origin in (typing.Union, types.UnionType):
        return _union(typing.get_args(annotation), _discriminator(metadata))
    if origin is list:
        (item,) = typing.get_args(annotation)
        convert = _converter(item, [])

        def to_list(value: Any) -> Any:
            if type(value) is not list:
                raise NotTrusted("expected a list")
            return [convert(v) for v in value]
        return to_list
    if origin is dict:
        key_type, value_type = typing.get_args(annotation)
        convert_key, convert_value = _converter(key_type, []), _converter(value_type, [])

        def to_dict(value: Any) -> Any:
            if type(value) is not dict:
                raise NotTrusted("expected a mapping")
            return {convert_key(k): convert_value(v) for k, v in value.items()}
        return to_dict
    if origin is typing.Literal:
        allowed = typing.get_args(annotation)

        def literal(value: Any) -> Any:
            if not any(type(value) is type(a) and value == a for a in allowed):
                raise NotTrusted(f"expected one of {allowed}")
            return value
        return literal
    if annotation is Any:
        return lambda value: value
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return lambda value: _model(annotation, value)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        def member(value: Any) -> Any:
            try:
                return annotation(value)
            except ValueError:
                raise NotTrusted(f"not a {annotation.__name__}") from None
        return member
    if annotation is float:
        def number(value: Any) -> Any:
            if type(value) is float:
                return value
            if type(value) is int:
                return float(value)  # what strict validation of a float field gives for an int
            raise NotTrusted("expected a number")
        return number
    if annotation in (str, int, bool, type(None)):
        def exact(value: Any, kind: type = annotation) -> Any:
            if type(value) is not kind:
                raise NotTrusted(f"expected {kind.__name__}")
            return value
        return exact
    raise TypeError(f"no trusted construction for {annotation!r}")  # a model uses a type not handled here


def _union(members: tuple[Any, ...], discriminator: Any) -> Convert:
    if discriminator is not None:
        by_tag: dict[Any, Convert] = {}
        for member in members:
            tags = [m.tag for m in typing.get_args(member)[1:] if isinstance(m, Tag)] \
                if typing.get_origin(member) is typing.Annotated else []
            if isinstance(discriminator, str):
                literal = member.__pydantic_fields__[discriminator].annotation
                tags = list(typing.get_args(literal))
            for tag in tags:
                by_tag[tag] = _converter(member, [])

        def tagged(value: Any) -> Any:
            if callable(discriminator):
                tag = discriminator(value)
            else:
                tag = value.get(discriminator) if type(value) is dict else None
            convert = by_tag.get(tag)
            if convert is None:
                raise NotTrusted(f"no branch for {tag!r}")
            return convert(value)
        return tagged
    converters = [_converter(m, []) for m in members]

    def first(value: Any) -> Any:  # the first branch whose shape fits (the bundled unions never overlap)
        for convert in converters:
            try:
                return convert(value)
            except NotTrusted:
                continue
        raise NotTrusted("no branch of the union fits")
    return first
