"""Integer lookups that answer "nothing matches" for a value beyond the column's range.

Django already does this for `exact`, `gt`, `gte`, `lt` and `lte` on integer fields; a
foreign key's `exact` and every `in` sent the value on, where SQLite refuses a Python int
over 64 bits (OverflowError, a 500). An id from a URL, a query string or a body can be any
size, so every integer comparison the ORM builds is bounded here, once, for every database.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey
from django.db.models import IntegerField
from django.db.models.fields.related_lookups import RelatedExact
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In
from django.db.models.lookups import Range


def _integer_range(field, connection) -> tuple[int | None, int | None] | None:
    """The (min, max) a column of `field` holds, or None when it is not an integer."""
    target = getattr(field, "target_field", field)
    if not isinstance(target, IntegerField):
        return None
    return connection.ops.integer_field_range(target.get_internal_type())


def _out_of_range(value, bounds) -> bool:
    if bounds is None or not isinstance(value, int) or isinstance(value, bool):
        return False
    low, high = bounds
    return (low is not None and value < low) or (high is not None and value > high)


class _InRange:
    """`in`: values the column cannot hold cannot match; drop them (none left: no rows)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _integer_range(self.lhs.output_field, connection)
            self.rhs = [value for value in self.rhs if not _out_of_range(value, bounds)]
            if not self.rhs:
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


@IntegerField.register_lookup
class IntegerIn(_InRange, In):
    pass


@ForeignKey.register_lookup
class ForeignKeyIn(_InRange, RelatedIn):
    pass


@ForeignKey.register_lookup
class ForeignKeyExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        if _out_of_range(self.rhs, _integer_range(self.lhs.output_field, connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


@IntegerField.register_lookup
class IntegerRange(Range):
    """`range`: bounds beyond the column's range are clamped to it."""

    def process_rhs(self, compiler, connection):
        bounds = _integer_range(self.lhs.output_field, connection)
        if self.rhs_is_direct_value() and bounds is not None:
            start, end = self.rhs
            low, high = bounds
            if _out_of_range(start, bounds):
                if start > high:
                    raise EmptyResultSet
                start = low
            if _out_of_range(end, bounds):
                if end < low:
                    raise EmptyResultSet
                end = high
            self.rhs = (start, end)
        return super().process_rhs(compiler, connection)
