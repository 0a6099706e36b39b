"""`NamedTuple` class syntax without importing `typing` at run time.

Every `define` that is not answered from the answers file imports the value types in `model.py`.
`typing` costs about as much to import as Python takes to start, and `typing.NamedTuple` then turns
every annotation into a `ForwardRef`; neither buys anything at run time, where only the tuple
matters. Modules write

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from .record import NamedTuple

so mypy checks the real `typing.NamedTuple` and the interpreter builds a tuple class with the
interface `collections.namedtuple` gives (field names from the annotations, defaults from the class
body, methods and docstring kept). It is not built by `collections.namedtuple`, which compiles
source text for every class: the sixteen model classes cost about 2.6 ms that way, on every
full-route start-up. Here a class's `__new__` is one of the functions below, compiled once with
this module, its parameters renamed to the fields (`CodeType.replace`), so Python binds positional
and keyword arguments and defaults exactly as for a hand-written `__new__`; the other methods are
shared by every class.
"""

from __future__ import annotations

# Names a class body may not set: they are the tuple machinery itself (as typing refuses them).
_RESERVED = frozenset(("__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults", "_make",
                       "_replace", "_asdict", "_source"))  # fmt: skip

TYPE_CHECKING = False  # `typing` stays unimported at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

_tuple_new = tuple.__new__
_function: Callable[..., Any] = type(lambda: None)  # types.FunctionType, without importing types

try:
    from _collections import _tuplegetter  # the C field accessor collections.namedtuple uses
except ImportError:  # another interpreter: what collections.namedtuple falls back to
    from operator import itemgetter

    def _tuplegetter(index: int, doc: str) -> property:  # type: ignore[misc]
        return property(itemgetter(index), doc=doc)


# `__new__` for a record of n fields is _NEW[n - 1] with its parameters renamed; above the largest,
# collections.namedtuple builds the class.
_NEW = (
    lambda _cls, _0: _tuple_new(_cls, (_0,)),
    lambda _cls, _0, _1: _tuple_new(_cls, (_0, _1)),
    lambda _cls, _0, _1, _2: _tuple_new(_cls, (_0, _1, _2)),
    lambda _cls, _0, _1, _2, _3: _tuple_new(_cls, (_0, _1, _2, _3)),
    lambda _cls, _0, _1, _2, _3, _4: _tuple_new(_cls, (_0, _1, _2, _3, _4)),
    lambda _cls, _0, _1, _2, _3, _4, _5: _tuple_new(_cls, (_0, _1, _2, _3, _4, _5)),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6: _tuple_new(_cls, (_0, _1, _2, _3, _4, _5, _6)),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6, _7: _tuple_new(_cls, (_0, _1, _2, _3, _4, _5, _6, _7)),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6, _7, _8: _tuple_new(_cls, (_0, _1, _2, _3, _4, _5, _6, _7, _8)),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9: _tuple_new(_cls, (_0, _1, _2, _3, _4, _5, _6, _7, _8, _9)),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10: _tuple_new(
        _cls, (_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10)
    ),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11: _tuple_new(
        _cls, (_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11)
    ),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12: _tuple_new(
        _cls, (_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12)
    ),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13: _tuple_new(
        _cls, (_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13)
    ),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14: _tuple_new(
        _cls, (_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14)
    ),
    lambda _cls, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15: _tuple_new(
        _cls, (_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15)
    ),
)


def _make(cls: Any, iterable: Iterable[object]) -> tuple[object, ...]:
    """Make a new record from a sequence or iterable."""
    made: tuple[object, ...] = _tuple_new(cls, iterable)
    if len(made) != len(cls._fields):
        raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(made)}")
    return made


def _replace(self: tuple[object, ...], /, **changes: object) -> tuple[object, ...]:
    """Return a new record replacing the given fields with new values."""
    made = self._make(map(changes.pop, self._fields, self))  # type: ignore[attr-defined]
    if changes:
        raise ValueError(f"Got unexpected field names: {list(changes)!r}")
    return made  # type: ignore[no-any-return]


def _asdict(self: tuple[object, ...]) -> dict[str, object]:
    """Return a new dict which maps field names to their values."""
    return dict(zip(self._fields, self, strict=True))  # type: ignore[attr-defined]


def _repr(self: tuple[object, ...]) -> str:
    fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))  # type: ignore[attr-defined]
    return f"{type(self).__name__}({fields})"


def _getnewargs(self: tuple[object, ...]) -> tuple[object, ...]:
    """Return self as a plain tuple (used by copy and pickle)."""
    return tuple(self)


_SHARED = {"__slots__": (), "_make": classmethod(_make), "_replace": _replace, "_asdict": _asdict,
           "__repr__": _repr, "__getnewargs__": _getnewargs}  # fmt: skip


def _record_class(name: str, fields: list[str], defaults: list[object], namespace: dict[str, object]) -> type:
    """The tuple class `collections.namedtuple(name, fields, defaults=defaults)` would make, with
    the class body's own attributes."""
    for field in fields:
        if field.startswith("_"):
            raise ValueError(f"{name}: field names cannot start with an underscore: {field!r}")
    if len(fields) > len(_NEW):
        from collections import namedtuple

        made: type = namedtuple(name, fields, defaults=defaults, module=str(namespace.get("__module__")))  # type: ignore[misc]
        for key, value in namespace.items():
            if key not in ("__module__", "__qualname__"):
                setattr(made, key, value)
        return made
    code = _NEW[len(fields) - 1].__code__
    code = code.replace(co_varnames=("_cls", *fields), co_name="__new__")
    if hasattr(code, "co_qualname"):  # Python 3.11+
        code = code.replace(co_qualname=f"{name}.__new__")  # type: ignore[call-arg]
    new = _function(code, globals(), "__new__", tuple(defaults) or None)
    new.__doc__ = f"Create new instance of {name}({', '.join(fields)})"
    attributes: dict[str, object] = {
        **_SHARED,
        "__doc__": f"{name}({', '.join(fields)})",
        "__new__": new,
        "_fields": tuple(fields),
        "_field_defaults": dict(zip(fields[len(fields) - len(defaults) :], defaults, strict=True)),
        "__match_args__": tuple(fields),
    }
    for index, field in enumerate(fields):
        attributes[field] = _tuplegetter(index, f"Alias for field number {index}")
    attributes.update(namespace)
    return type(name, (tuple,), attributes)


class _RecordMeta(type):
    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, object]) -> type:
        if not bases:  # the `NamedTuple` base class below
            return super().__new__(mcls, name, bases, namespace)
        if bases != (NamedTuple,):
            raise TypeError(f"{name}: a NamedTuple can only subclass NamedTuple")
        annotations = namespace.get("__annotations__")
        if not isinstance(annotations, dict):  # only `from __future__ import annotations` stores them as a dict
            raise TypeError(f"{name}: declare NamedTuples in a module with `from __future__ import annotations`")
        fields = list(annotations)
        defaults = [namespace[field] for field in fields if field in namespace]
        if defaults and fields[-len(defaults) :] != [f for f in fields if f in namespace]:
            raise TypeError(f"{name}: a field without a default follows one with a default")
        body: dict[str, object] = {}
        for key, value in namespace.items():
            if key in _RESERVED:
                raise AttributeError(f"{name}: cannot overwrite NamedTuple attribute {key}")
            if key not in fields:
                body[key] = value
        body["__qualname__"] = str(namespace.get("__qualname__", name))
        return _record_class(name, fields, defaults, body)


class NamedTuple(metaclass=_RecordMeta):
    """Base for `class Name(NamedTuple): field: type = default` declarations."""
