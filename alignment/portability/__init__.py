"""Workspace export and restore: a zip that reproduces a workspace exactly elsewhere.

Every concrete WorkspaceScopedModel is included, found by walking the app registry, so
models added later (research, messaging, ...) are exported without touching this module.
The archive holds:

- `manifest.json`: format version, the workspace's name and slug, row counts per model,
  the members as (username, role) and the usernames of users that rows refer to;
- `data/<app_label>.<model>.jsonl`: one JSON object per row, fields by attname (foreign
  keys as the ids of the exporting instance), auto-created many-to-many links under
  "_m2m";
- `files/<storage name>`: the stored files rows refer to (uploads, error reports).

The archive is written as it is read, a batch of rows and a megabyte of a file at a time,
to a stream: `export_file` gives it in a temporary file, so a workspace of any size costs
the web process the same memory.

A restore creates a new workspace, loads the models in foreign-key order with fresh
primary keys (remapping every foreign key between scoped models, users by username),
re-adds many-to-many links and files, all in one transaction.

Some columns refer to rows without a ForeignKey: generic references picked by a type
column (a feedback's subject), ids written without a constraint (a fact's import job),
ids inside JSON (a diagnosis' evidence) and URLs that embed the workspace's slug and a
row's id. Each is declared once, in REFS, and remapped like a foreign key; its targets
load first (refs.py). Rows that only cache what can be computed from the rest (RECOMPUTED: the
dashboard snapshot, full of ids) are recomputed instead of copied.

The core declares its own models here; every other app declares its models from its
AppConfig.ready through `register` (metrics/portability.py, launches/apps.py), so this
module names no other app's code."""

from alignment.portability.archive import FORMAT_VERSION
from alignment.portability.archive import scoped_models
from alignment.portability.export import export_file
from alignment.portability.export import workspace_export
from alignment.portability.refs import DROP
from alignment.portability.refs import NOT_EXPORTED
from alignment.portability.refs import NULL
from alignment.portability.refs import RECOMPUTED
from alignment.portability.refs import REFS
from alignment.portability.refs import ZERO
from alignment.portability.refs import IdRef
from alignment.portability.refs import UrlRef
from alignment.portability.refs import ref_targets
from alignment.portability.refs import register
from alignment.portability.restore import workspace_restore
