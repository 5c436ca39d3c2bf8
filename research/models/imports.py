"""The record of a CSV import of insights. Last in the package, as it was in the old
module, so the app registry lists the models in the same order."""

from django.conf import settings
from django.db import models

from alignment.tenancy import WorkspaceScopedModel


class InsightImport(WorkspaceScopedModel):
    """One CSV import of insights: its counts and the rows it rejected, kept so they can be
    downloaded (errors.csv) once the page that listed them is gone."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    header = models.JSONField(default=list, blank=True, help_text="The file's header row.")
    rejected = models.JSONField(
        default=list,
        blank=True,
        help_text="One entry per rejected row: {line, cells, errors: [{column, reason}]}.",
    )
    message = models.TextField(
        blank=True, help_text="Notes on the file: read as Windows-1252, rejected rows not kept."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self):
        return f"Insight import #{self.pk}"

    @property
    def errors(self) -> list[dict]:
        """[{line, column, reason}], one per problem (a row can have several)."""
        return [
            {"line": row["line"], "column": error["column"], "reason": error["reason"]}
            for row in self.rejected
            for error in row["errors"]
        ]
