"""Build pydantic models from values that are already valid, without validating them again.

Checks and simulations build results by the hundred thousand; ``model_construct`` re-reads the
model's fields on every call. These builders read them once per class. Every instance keeps
its values in CPython's split dict (one table of keys shared by the class, about half the size
of a copied dict), filled in declaration order, the order pydantic serialises in. Only for
models without private attributes, extras or validators that derive fields; tests compare
each builder's output with a validated instance.
"""

from __future__ import annotations

import copy
import functools
import operator
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

# pydantic keeps an instance's state in these slots of BaseModel; setting them through their
# descriptors skips the attribute lookup that object.__setattr__ makes on every call.
_SET_FIELDS = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__
_REQUIRED = object()


@functools.cache
def maker(cls: type[M]) -> Callable[..., M]:
    """A function that builds ``cls`` from a keyword value for every field. A missing field is
    a KeyError and a wrong count a TypeError, never a half-built instance."""
    names = tuple(cls.model_fields)
    count = len(names)
    fields_set = set(names)  # shared; pydantic copies it before changing it
    new = object.__new__

    def make(**values: Any) -> M:
        if len(values) != count:
            unknown = sorted(set(values) - fields_set)
            raise TypeError(f"{cls.__name__} needs every one of its {count} fields"
                            + (f"; unknown: {', '.join(unknown)}" if unknown else ""))
        instance = new(cls)
        data = instance.__dict__
        for name in names:
            data[name] = values[name]
        _SET_FIELDS(instance, fields_set)
        _SET_EXTRA(instance, None)
        _SET_PRIVATE(instance, None)
        return instance

    make.__name__ = f"make_{cls.__name__}"
    return make


def construct(cls: type[M], **values: Any) -> M:
    """``cls.model_construct(**values)`` at a fraction of its cost: fields left out get their
    defaults (mutable ones copied per instance)."""
    fields = _fields(cls)
    if len(values) == len(fields):
        return maker(cls)(**values)
    instance = object.__new__(cls)
    data = instance.__dict__
    for name, default, factory in fields:
        if name in values:
            data[name] = values[name]
        elif factory is not None:
            data[name] = factory()
        elif default is not _REQUIRED:
            data[name] = default
    _SET_FIELDS(instance, set(values))
    _SET_EXTRA(instance, None)
    _SET_PRIVATE(instance, None)
    return instance


def from_row(cls: type[M], row: tuple[Any, ...]) -> M:
    """An instance from every field's value in declaration order (the inverse of ``row``):
    the compact form results travel in between processes."""
    names, fields_set = _SHAPES.get(cls) or _shape(cls)
    if len(row) != len(names):
        raise ValueError(f"{cls.__name__} has {len(names)} fields, not {len(row)}")
    instance = object.__new__(cls)
    instance.__dict__.update(zip(names, row, strict=False))  # lengths checked above
    _SET_FIELDS(instance, fields_set)
    _SET_EXTRA(instance, None)
    _SET_PRIVATE(instance, None)
    return instance


def row(instance: BaseModel) -> tuple[Any, ...]:
    """Every field's value in declaration order."""
    return _getter(type(instance))(instance.__dict__)


_SHAPES: dict[type, tuple[tuple[str, ...], set[str]]] = {}


def _shape(cls: type[BaseModel]) -> tuple[tuple[str, ...], set[str]]:
    """The field names in order and the fields-set instances share, kept in a plain dict
    (cheaper per call than a functools cache)."""
    names = tuple(cls.model_fields)
    shape = _SHAPES[cls] = (names, set(names))
    return shape


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


@functools.cache
def _getter(cls: type[BaseModel]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    return operator.itemgetter(*tuple(cls.model_fields))
