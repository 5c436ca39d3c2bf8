# ruff: noqa: S608 - SQL is assembled from constant fragments and integer ids only;
# every value that comes from a file or a request is a bound parameter.
"""Dimension resolution: the codes the encoder gave to names -> campaign, product and
feature ids of the workspace, creating the unknown ones.

Names are matched case-insensitively, in SQL, a batch of new names at a time (one small
staging table, `<stage>_dim`); the answer goes into `<stage>_map` (code -> ids), which the
merge joins. The dimension rows are created before the facts, in the same transaction:
the facts reference them without a database constraint (DESIGN.md, the data path).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alignment.models import Feature
from alignment.models import Product
from launches.models import Campaign
from metrics.models import ImportKind

if TYPE_CHECKING:
    from metrics.importing.merge import MergeStrategy
    from metrics.importing.pipeline import ImportOutcome


class DimensionResolver:
    """Codes of one import's names -> dimension ids, kept in the `<stage>_map` table."""

    def __init__(self, *, kind: str, workspace_id: int, stage: str, merge: MergeStrategy):
        self.kind = kind
        self.workspace_id = workspace_id
        self.stage = stage
        self.merge = merge  # writes the small tables the way the database takes them best
        self.canonical: dict[tuple, int] = {}  # dimension ids -> the code standing for them
        self.aliases: dict[int, int] = {}  # a code whose names fold onto another's target
        self.remapped = False
        self.known_products: list[tuple[int, str]] = []  # (code, name), resolved so far

    @property
    def map_columns(self) -> str:
        return "code integer, a bigint" + (", b bigint" if self.kind == ImportKind.USAGE else "")

    def create_map(self, cursor) -> None:
        """Inside the import's transaction, with the staging table."""
        cursor.execute(f"CREATE TEMPORARY TABLE {self.stage}_map ({self.map_columns})")

    def resolve(self, cursor, outcome: ImportOutcome, dimensions) -> None:
        """Codes of names first seen -> dimension ids, creating the unknown ones."""
        if self.kind == ImportKind.CAMPAIGN:
            created = self._resolve_campaigns(cursor, dimensions)
        elif self.kind == ImportKind.USAGE:
            created = self._resolve_usage(cursor, *dimensions)
        else:
            return
        for name, values in created.items():
            outcome.created[name] = sorted([*outcome.created.get(name, []), *values])

    def _fill_dim_table(self, cursor, columns: str, rows: list[tuple]) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {self.stage}_dim")
        cursor.execute(f"CREATE TEMPORARY TABLE {self.stage}_dim ({columns})")
        self.merge.insert(cursor, table=f"{self.stage}_dim", columns=columns, rows=rows)

    def _match(self, cursor, sql: str) -> dict[int, int]:
        cursor.execute(sql, [self.workspace_id])
        return dict(cursor.fetchall())

    def _create_missing(self, cursor, match: str, found: dict, rows: list):
        """Creates `rows` (the names `match` found no row for; an import running beside this
        one may create the same: conflicts are ignored) and matches again. Returns (code ->
        id, now for every name) and the model's rows this import created."""
        before = set(found.values())
        model = type(rows[0])
        model.objects.bulk_create(rows, ignore_conflicts=True)
        found = self._match(cursor, match)
        return found, model.objects.filter(pk__in=set(found.values()) - before)

    def _resolve_campaigns(self, cursor, names: list[tuple[int, str, str]]) -> dict:
        if not names:
            return {}
        self._fill_dim_table(cursor, "code integer, name text, channel text", names)
        match = (
            f"SELECT d.code, c.id FROM {self.stage}_dim d JOIN launches_campaign c "
            "ON c.workspace_id = %s AND lower(c.name) = lower(d.name)"
        )
        found = self._match(cursor, match)
        missing = [(name, channel) for code, name, channel in names if code not in found]
        created = []
        if missing:
            rows = [
                Campaign(workspace_id=self.workspace_id, name=name, channel=channel)
                for name, channel in missing
            ]
            found, new = self._create_missing(cursor, match, found, rows)
            created = list(new.values_list("name", flat=True))
        self._extend_map(cursor, {code: (campaign_id,) for code, campaign_id in found.items()})
        return {"campaigns": created} if created else {}

    def _resolve_usage(self, cursor, product_names, pair_names) -> dict:
        if not pair_names:
            return {}
        self.known_products.extend(product_names)
        self._fill_dim_table(cursor, "code integer, name text", self.known_products)
        match = (
            f"SELECT d.code, p.id FROM {self.stage}_dim d JOIN alignment_product p "
            "ON p.workspace_id = %s AND lower(p.name) = lower(d.name)"
        )
        products = self._match(cursor, match)
        created: dict[str, list[str]] = {}
        missing = [name for code, name in product_names if code not in products]
        if missing:
            rows = [Product(workspace_id=self.workspace_id, name=name) for name in missing]
            products, new = self._create_missing(cursor, match, products, rows)
            created["products"] = list(new.values_list("name", flat=True))
        named = [
            (code, products[product_code], name) for code, product_code, name in pair_names if name
        ]
        self._fill_dim_table(cursor, "code integer, product_id bigint, name text", named)
        match = (
            f"SELECT d.code, f.id FROM {self.stage}_dim d JOIN alignment_feature f "
            "ON f.product_id = d.product_id AND f.workspace_id = %s "
            "AND lower(f.name) = lower(d.name)"
        )
        features = self._match(cursor, match)
        missing = [(product_id, name) for code, product_id, name in named if code not in features]
        if missing:
            rows = [
                Feature(workspace_id=self.workspace_id, product_id=product_id, name=name)
                for product_id, name in missing
            ]
            features, new = self._create_missing(cursor, match, features, rows)
            created["features"] = [str(feature) for feature in new.select_related("product")]
        targets = {
            code: (products[product_code], features.get(code) if name else None)
            for code, product_code, name in pair_names
        }
        self._extend_map(cursor, targets)
        return created

    def _extend_map(self, cursor, targets: dict[int, tuple]) -> None:
        """code -> dimension ids. A second code for one target (names the database folds
        alike) becomes an alias of the first, so duplicate detection sees one key."""
        rows = []
        for code, target in sorted(targets.items()):
            first = self.canonical.setdefault(target, code)
            if first != code:
                self.aliases[code] = first
                self.remapped = True
            else:
                rows.append((code, *target))
        if rows:
            self.merge.insert(
                cursor, table=f"{self.stage}_map", columns=self.map_columns, rows=rows
            )
            self.merge.analyze_map(cursor)
