"""Build pydantic models from values that are already valid, without validating them again."""

from __future__ import annotations

import copy
import functools
import operator
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


@functools.cache
def _fields(cls: type[BaseModel]) -> tuple[tuple[str, Any, Callable[[], Any] | None], ...]:
    """Each field in declaration order with its default or its default factory (mutable
    defaults are copied per instance), read once per class."""
    out: list[tuple[str, Any, Callable[[], Any] | None]] = []
    for name, info in cls.model_fields.items():
        if info.default_factory is not None:
            out.append((name, _REQUIRED, info.default_factory))  # type: ignore[arg-type]
        elif isinstance(info.default, list | dict | set):
            out.append((name, _REQUIRED, functools.partial(copy.copy, info.default)))
        else:
            out.append((name, _REQUIRED if info.is_required() else info.default, None))
    return tuple(out)


_REQUIRED = object()


def construct(cls: type[M], **values: Any) -> M:
    """``cls.model_construct(**values)`` at a fraction of its cost (it re-reads the model's
    fields on every call; simulations and checks build hundreds of thousands of results).

    Every value must already be valid and named by its field name; fields left out get their
    defaults. Only for models without private attributes, extras or validators that derive
    fields. A test compares the result with a validated instance.
    """
    instance = cls.__new__(cls)
    # The instance's own new dict shares one table of keys with every instance of the class
    # (CPython's split dict), about half the size of a copy of ``values``; it is filled in
    # declaration order, the order pydantic serialises in.
    data = instance.__dict__
    fields = _fields(cls)
    if len(values) == len(fields):  # every field given
        for name, _, _ in fields:
            data[name] = values[name]
        given = _all_fields(cls)  # one set shared by such instances (a set is ~200 bytes)
    else:
        for name, default, factory in fields:
            if name in values:
                data[name] = values[name]
            elif factory is not None:
                data[name] = factory()
            elif default is not _REQUIRED:
                data[name] = default
        given = set(values)
    object.__setattr__(instance, "__pydantic_fields_set__", given)
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


@functools.cache
def _all_fields(cls: type[BaseModel]) -> set[str]:
    """Shared by instances; pydantic copies it before changing it (model_copy), and these
    results are not assigned to."""
    return set(cls.model_fields)


def from_row(cls: type[M], row: tuple[Any, ...]) -> M:
    """An instance from every field's value in declaration order (the inverse of ``row``):
    the compact form results travel in between processes."""
    shape = _SHAPES.get(cls) or _shape(cls)
    names, given = shape
    if len(row) != len(names):
        raise ValueError(f"{cls.__name__} has {len(names)} fields, not {len(row)}")
    instance = cls.__new__(cls)
    data = instance.__dict__  # a split dict, as in ``construct``
    for name, value in zip(names, row, strict=False):  # lengths checked above
        data[name] = value
    setattr_ = object.__setattr__
    setattr_(instance, "__pydantic_fields_set__", given)
    setattr_(instance, "__pydantic_extra__", None)
    setattr_(instance, "__pydantic_private__", None)
    return instance


_SHAPES: dict[type, tuple[tuple[str, ...], set[str]]] = {}


def _shape(cls: type[BaseModel]) -> tuple[tuple[str, ...], set[str]]:
    """The field names in order and the fields-set instances share, kept in a plain dict
    (cheaper per call than a functools cache)."""
    shape = _SHAPES[cls] = (_names(cls), _all_fields(cls))
    return shape


def row(instance: BaseModel) -> tuple[Any, ...]:
    """Every field's value in declaration order."""
    return _getter(type(instance))(instance.__dict__)


@functools.cache
def _names(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(cls.model_fields)


@functools.cache
def _getter(cls: type[BaseModel]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    return operator.itemgetter(*_names(cls))
