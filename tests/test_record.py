"""record.NamedTuple: the class syntax of typing.NamedTuple, built without importing typing."""

from __future__ import annotations

import pickle

import pytest

from bpoterms.model import Entry, Quote
from bpoterms.record import NamedTuple


class Point(NamedTuple):
    """A point, for these tests."""

    x: int
    y: int = 0
    label: str | None = None

    def moved(self, by: int) -> Point:
        return self._replace(x=self.x + by)

    @property
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


def test_fields_come_from_the_annotations_in_order_with_their_defaults():
    assert Point._fields == ("x", "y", "label")
    assert Point._field_defaults == {"y": 0, "label": None}
    assert Point(3) == (3, 0, None)


def test_methods_properties_and_the_docstring_are_kept():
    point = Point(1, -2)
    assert point.moved(2) == Point(3, -2)
    assert point.norm == 3
    assert Point.__doc__ == "A point, for these tests."


def test_instances_are_tuples_that_compare_and_hash_as_tuples():
    assert isinstance(Point(1), tuple)
    assert Point(1, 2) == (1, 2, None) and hash(Point(1, 2)) == hash((1, 2, None))
    with pytest.raises(AttributeError):
        Point(1).x = 5  # type: ignore[misc]


def test_the_class_is_named_and_placed_for_pickle_and_repr():
    assert Point.__module__ == __name__ and Point.__qualname__ == "Point"
    assert repr(Point(1)) == "Point(x=1, y=0, label=None)"
    assert pickle.loads(pickle.dumps(Point(1, 2, "a"))) == Point(1, 2, "a")


def test_a_field_without_a_default_after_one_with_a_default_is_refused():
    with pytest.raises(TypeError, match="without a default"):

        class Broken(NamedTuple):
            first: int = 0
            second: int


def test_a_body_that_overwrites_the_tuple_machinery_is_refused():
    with pytest.raises(AttributeError, match="_replace"):

        class Broken(NamedTuple):
            x: int

            def _replace(self) -> None: ...


def test_the_models_keep_the_typing_namedtuple_interface():
    entry = Entry("Average Handle Time", "Talk plus hold plus wrap.", acronym="AHT", sources=(Quote("a", "b"),))
    assert entry.title == "Average Handle Time (AHT)"
    assert entry._replace(acronym=None).names() == ("Average Handle Time",)
    assert entry._asdict()["sources"] == (("a", "b"),)
    assert Entry._fields[:3] == ("term", "definition", "acronym")


def model_classes() -> list[type]:
    from bpoterms import model

    return [value for value in vars(model).values() if isinstance(value, type) and issubclass(value, tuple)]


@pytest.mark.parametrize("record", model_classes(), ids=lambda record: record.__name__)
def test_a_record_behaves_as_the_collections_namedtuple_of_its_fields(record):
    from collections import namedtuple

    twin = namedtuple(record.__name__, record._fields, defaults=tuple(record._field_defaults.values()))
    required = len(record._fields) - len(record._field_defaults)
    values = [f"v{i}" for i in range(len(record._fields))]
    assert record(*values) == twin(*values) and record(*values[:required]) == twin(*values[:required])
    by_name = dict(zip(record._fields, values, strict=True))
    assert record(**by_name) == twin(**by_name)
    assert repr(record(*values)) == repr(twin(*values))
    assert record(*values)._asdict() == twin(*values)._asdict()
    changed = {record._fields[-1]: "changed"}
    assert record(*values)._replace(**changed) == twin(*values)._replace(**changed)
    assert type(record._make(values)) is record and record._make(values) == twin._make(values)
    assert record.__match_args__ == twin.__match_args__
    for bad_call in (lambda cls: cls(*values, "one too many"), lambda cls: cls(*values, unknown=1)):
        with pytest.raises(TypeError):
            bad_call(twin)
        with pytest.raises(TypeError):
            bad_call(record)
    with pytest.raises(TypeError):
        record._make(values[:-1])
    with pytest.raises(ValueError):
        record(*values)._replace(unknown=1)
    if required:
        with pytest.raises(TypeError):
            record()


def test_a_record_with_more_fields_than_the_prepared_constructors_is_built_all_the_same():
    from bpoterms.record import _NEW

    fields = [f"f{i}" for i in range(len(_NEW) + 1)]
    namespace = {"__annotations__": dict.fromkeys(fields, "int"), "__module__": __name__, "__qualname__": "Wide"}
    wide = type(NamedTuple)("Wide", (NamedTuple,), {**namespace, fields[-1]: -1})
    assert wide._fields == tuple(fields) and wide._field_defaults == {fields[-1]: -1}
    assert wide(*range(len(fields) - 1)) == (*range(len(fields) - 1), -1)
    assert wide.__qualname__ == "Wide" and repr(wide(*range(len(fields))))[:10] == "Wide(f0=0,"
