"""What a search query says: its words, the ones negated (`-word`) and the tags it keeps
(`tag:name`, `tag:"two words"`), bounded in length and number."""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
# A search costs a fixed number of queries, each returning at most RESULTS_PER_KIND rows.
RESULTS_PER_KIND = 10
MAX_RESULTS = 50
MAX_WORDS = 10
MAX_TAGS = 5
# pg_trgm word_similarity (the least of the query's words') above which a row counts as
# matching with typos: "onbaording" ~ "Onboarding checklist" scores 0.47, an unrelated
# sentence under 0.2. Short words have few trigrams: a typo in one is rarely forgiven.
TYPO_THRESHOLD = 0.45
TYPO_WORDS = 3
TYPO_MIN_LENGTH = 3
# Typos are looked for in the first characters of a row's text only: cheap on long bodies.
TYPO_SCOPE = 2000

TAG_TOKEN = re.compile(r'(?<!\S)tag:(?:"([^"]*)"|(\S*))', re.IGNORECASE)
WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOP = {"or", "and", "not"}


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # without the tag: tokens, for full text search
    tags: tuple[str, ...]
    words: tuple[str, ...]  # the words to find (not negated), lower case
    negated: tuple[str, ...]

    @property
    def typo_words(self) -> tuple[str, ...]:
        """The words looked for give or take a typo (long enough to have trigrams)."""
        return tuple(word for word in self.words if len(word) >= TYPO_MIN_LENGTH)[:TYPO_WORDS]

    @property
    def tag_names(self) -> tuple[str, ...]:
        """A word (or the whole text) that is a tag's name finds what carries the tag."""
        return (self.text, *self.words) if self.words else ()


def clean_query(query: str) -> str:
    """NUL cannot reach PostgreSQL; runs of whitespace mean nothing; capped in length."""
    return " ".join((query or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def parse_query(query: str) -> ParsedQuery:
    query = clean_query(query)
    tags = []
    for quoted, bare in TAG_TOKEN.findall(query):
        name = " ".join((quoted or bare).strip('"').split()).lstrip("#")
        if name and name.lower() not in {tag.lower() for tag in tags}:
            tags.append(name)
    text = " ".join(TAG_TOKEN.sub(" ", query).split())
    words, negated = [], []
    for token in text.split():
        target = negated if token.startswith("-") and len(token) > 1 else words
        for word in WORD.findall(token.lower()):
            if word not in STOP and word not in target:
                target.append(word)
    return ParsedQuery(
        text=text,
        tags=tuple(tags[:MAX_TAGS]),
        words=tuple(words[:MAX_WORDS]),
        negated=tuple(negated[:MAX_WORDS]),
    )
