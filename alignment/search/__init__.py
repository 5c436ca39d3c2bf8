"""One search over the workspace: the top bar's page and the API's `search/?q=`.

Each app registers what it makes searchable (`register(SearchKind(...))` in its
AppConfig.ready: the core its claims, documents, products and features; research its
insights, highlights, tags, opportunities, personas and studies; launches its launches and
campaigns), so this package imports no other app.

On PostgreSQL every kind is searched with full text (weighted vector, websearch syntax:
`"exact phrase"`, `or`, `-word`) and pg_trgm word similarity for typos, ranked across kinds
(postgres.py), from a vector and word list stored by the migrations (stored.py). Elsewhere
(SQLite) each word must appear in one of the kind's fields, case insensitive (sqlite.py).
Either way `tag:name` keeps only rows tagged so, and a plain word equal to a tag's name
finds what carries the tag. One query per kind, at most RESULTS_PER_KIND rows each and
MAX_RESULTS in all, so a search costs a fixed number of queries.

Snippets are cut in Python from the matched text as a reader sees it (snippets.py):
Markdown stripped, everything HTML-escaped, only the matched words wrapped in <mark>.

    registry.py   SearchKind, register, kinds
    query.py      parse_query, clean_query and the bounds
    conditions.py tags, shared by both databases
    postgres.py   full text and typos;  sqlite.py  the substring fallback
    stored.py     PostgreSQL's stored vectors and word lists, the migration operations
    snippets.py   make_snippet, strip_markdown
    results.py    search_everything, search, SearchResult, SearchGroup
"""

from alignment.search.postgres import has_trigram
from alignment.search.postgres import reset_features
from alignment.search.postgres import uses_full_text_search
from alignment.search.query import MAX_QUERY_LENGTH
from alignment.search.query import MAX_RESULTS
from alignment.search.query import MIN_QUERY_LENGTH
from alignment.search.query import RESULTS_PER_KIND
from alignment.search.query import ParsedQuery
from alignment.search.query import clean_query
from alignment.search.query import parse_query
from alignment.search.registry import SearchKind
from alignment.search.registry import kinds
from alignment.search.registry import register
from alignment.search.results import SearchGroup
from alignment.search.results import SearchResult
from alignment.search.results import search
from alignment.search.results import search_everything
from alignment.search.snippets import make_snippet
from alignment.search.snippets import strip_markdown
from alignment.search.stored import install_search_indexes
