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

so mypy checks the real `typing.NamedTuple` and the interpreter builds the same class through
`collections.namedtuple` (field names from the annotations, defaults from the class body,
methods and docstring copied over), as `typing.NamedTuple` itself does underneath.
"""

from __future__ import annotations

from collections import namedtuple

# Names a class body may not set: they are the tuple machinery itself (as typing refuses them).
_RESERVED = frozenset(("__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults", "_make",
                       "_replace", "_asdict", "_source"))  # fmt: skip


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
        made = namedtuple(name, fields, defaults=defaults, module=str(namespace.get("__module__")))  # type: ignore[misc]
        for key, value in namespace.items():
            if key in _RESERVED:
                raise AttributeError(f"{name}: cannot overwrite NamedTuple attribute {key}")
            if key not in fields and key not in ("__module__", "__qualname__"):
                setattr(made, key, value)
        made.__qualname__ = str(namespace.get("__qualname__", name))
        return made


class NamedTuple(metaclass=_RecordMeta):
    """Base for `class Name(NamedTuple): field: type = default` declarations."""
