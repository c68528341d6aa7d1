"""Full-text search of the practice library on either database: an FTS5 table on SQLite, a
`tsvector` table with a GIN index on PostgreSQL. Both hold one row per practice, refreshed by the
actions whenever a practice or its evidence changes, and both are read through the same query
language, so a search means the same thing on either:

- words are all required, in any order, matched on their stems ("coaching" finds "coached");
- "a quoted phrase" must appear as written;
- OR between two terms makes either do; a leading minus (-word, -"a phrase") excludes.

A practice's text is weighted: its title most, then its summary, problem and tags, then how to do
it, its research and the places it was tried, then the stories of trials and the comments.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "practices_search"
# The FTS5 column weights, in column order; PostgreSQL weighs A > B > C > D the same way.
COLUMNS = ("title", "about", "body", "talk")
BM25_WEIGHTS = "10.0, 4.0, 2.0, 1.0"
PG_WEIGHTS = ("A", "B", "C", "D")
CONFIG = "english"
# PostgreSQL's English configuration drops these words from queries (they are too common to find
# anything by), and FTS5 would not; dropping them here too keeps the two databases' answers alike.
_STOP = """
a about above after again against all am an and any are as at be because been before being below
between both but by can did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same
she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why
will with you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP.split())
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


@dataclass
class Query:
    """A parsed search: `required` terms are each a set of alternatives (OR), every one needed;
    `excluded` terms rule a practice out. A term is a phrase: a tuple of words."""

    required: list[list[tuple[str, ...]]] = field(default_factory=list)
    excluded: list[tuple[str, ...]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.required or self.excluded)


def fold(text: str) -> str:
    """Text without its accents, so that "circulos" finds "Círculos" on either database (PostgreSQL's
    unaccent is an extension a hosted database may not allow)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def parse(text: str) -> Query:
    query = Query()
    pending_or = False
    for match in TOKEN.finditer(fold(text.replace("\x00", " "))):
        minus, quoted, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                pending_or = bool(query.required)
                continue
            minus, raw = ("-", bare[1:]) if bare.startswith("-") and len(bare) > 1 else ("", bare)
        else:
            raw = quoted
        words = tuple(w.casefold() for w in WORD.findall(raw))
        if bare is not None:
            # Stop words find nothing on PostgreSQL, so they find nothing here either.
            words = tuple(w for w in words if w not in STOP_WORDS)
        elif all(w in STOP_WORDS for w in words):
            words = ()
        if not words:
            pending_or = False
            continue
        if minus:
            query.excluded.append(words)
        elif pending_or:
            query.required[-1].append(words)
        else:
            query.required.append([words])
        pending_or = False
        if len(query.required) + len(query.excluded) >= MAX_TERMS:
            break
    return query


# -- the table ------------------------------------------------------------------------------------


def create_table(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # No foreign key: Django's flush truncates the models' tables only, and a reference would
        # make that refuse. A row left by a practice deleted some other way matches no practice.
        schema_editor.execute(f"CREATE TABLE {TABLE} (practice_id bigint PRIMARY KEY, document tsvector NOT NULL)")
        schema_editor.execute(f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin (document)")
    else:
        # porter stems English words (the text comes without accents: see `fold`).
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5({', '.join(COLUMNS)}, tokenize = 'porter unicode61')"
        )


def drop_table(schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def store(practice_id: int, parts: tuple[str, str, str, str]) -> None:
    """Write one practice's text, replacing what was there."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vector = " || ".join(f"setweight(to_tsvector('{CONFIG}', %s), '{w}')" for w in PG_WEIGHTS)
            cursor.execute(
                f"INSERT INTO {TABLE} (practice_id, document) VALUES (%s, {vector}) "
                "ON CONFLICT (practice_id) DO UPDATE SET document = EXCLUDED.document",
                [practice_id, *map(fold, parts)],
            )
        else:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [practice_id])
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s)",
                [practice_id, *map(fold, parts)],
            )


def remove(practice_id: int) -> None:
    with connection.cursor() as cursor:
        key = "practice_id" if connection.vendor == "postgresql" else "rowid"
        cursor.execute(f"DELETE FROM {TABLE} WHERE {key} = %s", [practice_id])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


# -- reading it -----------------------------------------------------------------------------------


def _fts5(terms: list[list[tuple[str, ...]]]) -> str:
    """An FTS5 expression; its words hold only word characters, so quoting them is all it takes."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"'

    return " AND ".join("(" + " OR ".join(phrase(p) for p in alternatives) + ")" for alternatives in terms)


def _tsquery(terms: list[list[tuple[str, ...]]], params: list[str], joiner: str = " && ") -> str:
    parts = []
    for alternatives in terms:
        ors = []
        for words in alternatives:
            params.append(" ".join(words))
            ors.append(f"phraseto_tsquery('{CONFIG}', %s)")
        parts.append("(" + " || ".join(ors) + ")")
    return joiner.join(parts)


@dataclass
class Match:
    """SQL for the practices a query finds (`ids`, a subquery of practice ids) and how well each
    matches (`relevance`, for a practice row: higher is better)."""

    ids: str
    ids_params: list[str]
    relevance: str
    relevance_params: list[str]


def match(query: Query, practice_table: str = "practices_practice") -> Match | None:
    """The SQL that finds what `query` asks for; None when it asks for nothing."""
    if not query:
        return None
    pg = connection.vendor == "postgresql"
    key = "practice_id" if pg else "rowid"
    where: list[str] = []
    params: list[str] = []
    if query.required:
        if pg:
            where.append(f"document @@ ({_tsquery(query.required, params)})")
        else:
            where.append(f"{TABLE} MATCH %s")
            params.append(_fts5(query.required))
    if query.excluded:
        # FTS5 cannot say "anything but"; both databases exclude through a second lookup.
        excluded = [[words] for words in query.excluded]
        if pg:
            inner = f"document @@ ({_tsquery(excluded, params, ' || ')})"
        else:
            inner = f"{TABLE} MATCH %s"
            params.append(" OR ".join(_fts5([e]) for e in excluded))
        where.append(f"{key} NOT IN (SELECT {key} FROM {TABLE} WHERE {inner})")
    ids = f"SELECT {key} FROM {TABLE} WHERE {' AND '.join(where)}"
    if not query.required:
        return Match(ids, params, "0", [])
    rank_params: list[str] = []
    if pg:
        rank = (
            f"(SELECT ts_rank(document, {_tsquery(query.required, rank_params)}) FROM {TABLE} "
            f'WHERE practice_id = "{practice_table}"."id")'
        )
    else:
        rank = (
            f"(SELECT -bm25({TABLE}, {BM25_WEIGHTS}) FROM {TABLE} "
            f'WHERE {TABLE} MATCH %s AND rowid = "{practice_table}"."id")'
        )
        rank_params.append(_fts5(query.required))
    return Match(ids, params, rank, rank_params)
