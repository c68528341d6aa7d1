"""Staging tables: an import first writes its validated rows to a temporary table, then merges
them into the real tables with a few set-based statements. Python never holds the whole file,
and the merge can say exactly what it created, changed and left alone."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import connection

TYPES = {
    "int": ("INTEGER", "integer"),
    "text": ("TEXT", "text"),
    "num": ("REAL", "numeric"),
    "bool": ("INTEGER", "boolean"),
}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def differs(a: str, b: str) -> str:
    """SQL for "a and b differ", where NULL equals NULL."""
    return f"({a} IS DISTINCT FROM {b})" if is_postgres() else f"({a} IS NOT {b})"


@contextmanager
def roomy_cache(mib: int = 128) -> Iterator[None]:
    """A bigger SQLite page cache while an import merges: the default 2 MiB makes every index
    insert of a large file a trip to the operating system. PostgreSQL sizes its own."""
    if is_postgres():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA main.cache_size")
        main = cursor.fetchone()[0]
        cursor.execute("PRAGMA temp.cache_size")
        temp = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA main.cache_size = -{mib * 1024}")
        cursor.execute(f"PRAGMA temp.cache_size = -{mib * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA main.cache_size = {int(main)}")
            cursor.execute(f"PRAGMA temp.cache_size = {int(temp)}")


# Below this many rows, checking foreign keys and updating indexes row by row costs less than
# doing it once for the whole table.
BULK_ROWS = 50_000


@contextmanager
def bulk_load(tables: Sequence[str], staged_rows: int) -> Iterator[None]:
    """Room for a large merge into `tables`, inside the import's transaction.

    PostgreSQL checks a foreign key with one lookup per inserted row (and locks the row it finds),
    which makes a state's file spend most of its time in those checks. As the PostgreSQL manual
    advises for bulk loads, a large import drops the tables' foreign keys and adds them back at the
    end, which checks every row in one join; if a row had no parent the whole import rolls back,
    constraints included. On both databases an index that only serves reading (not a unique one)
    is dropped and built again at the end when the import brings at least a quarter as many rows
    as the table holds: one sorted build is cheaper than a million inserts at random places.
    Other sessions wait for these tables until the import commits (SQLite's readers keep reading
    the committed data meanwhile)."""
    if staged_rows < BULK_ROWS:
        yield
        return
    keys: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
                [list(tables)],
            )
            keys = cursor.fetchall()
            # Checks still pending (on schools this import created) must run before their tables change.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, name, _ in keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuilt = [(name, sql) for table, name, sql in _read_indexes(cursor, tables) if staged_rows * 4 >= _size(table)]
        for name, _ in rebuilt:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _, sql in rebuilt:
            cursor.execute(sql)
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _read_indexes(cursor: Any, tables: Sequence[str]) -> list[tuple[str, str, str]]:
    """(table, index, the statement that creates it) for the tables' non-unique indexes."""
    if is_postgres():
        cursor.execute(
            "SELECT i.indrelid::regclass::text, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = ANY(%s::regclass[])"
            " AND NOT i.indisunique ORDER BY c.relname",
            [list(tables)],
        )
    else:
        marks = ", ".join("%s" for _ in tables)
        cursor.execute(
            f"SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks})"
            " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
            list(tables),
        )
    return cursor.fetchall()


def _size(table: str) -> int:
    """About how many rows the table holds, cheaply."""
    if is_postgres():
        estimate = rows("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])[0][0]
        if estimate >= 0:
            return int(estimate)
        return rows(f"SELECT COUNT(*) FROM {table}")[0][0]
    # The highest id is an upper bound read from the end of the table.
    return rows(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0][0]


class Stage:
    def __init__(self, name: str, columns: Sequence[tuple[str, str]]) -> None:
        self.name = name
        self.columns = [c for c, _ in columns]
        pg = is_postgres()
        cols = ", ".join(f"{c} {TYPES[t][1 if pg else 0]}" for c, t in columns)
        suffix = " ON COMMIT DROP" if pg else ""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"CREATE TEMPORARY TABLE {name} ({cols}){suffix}")

    def insert(self, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        names = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if is_postgres():
                with cursor.cursor.copy(f"COPY {self.name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in self.columns)
                # The raw sqlite3 cursor: Django's wrapper would rewrite every statement's placeholders.
                cursor.cursor.executemany(f"INSERT INTO {self.name} ({names}) VALUES ({marks})", rows)

    def insert_frame(self, frame: pl.DataFrame) -> None:
        """Rows from a frame whose columns are the stage's, in order."""
        if frame.is_empty():
            return
        names = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if is_postgres():
                # CSV written by Polars is the cheapest way in: no Python object per value.
                with cursor.cursor.copy(f"COPY {self.name} ({names}) FROM STDIN (FORMAT csv)") as copy:
                    copy.write(frame.select(self.columns).write_csv(include_header=False))
            else:
                marks = ", ".join("?" for _ in self.columns)
                rows = zip(*(frame[c].to_list() for c in self.columns), strict=True)
                cursor.cursor.executemany(f"INSERT INTO {self.name} ({names}) VALUES ({marks})", rows)

    def index(self, *cols: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {self.name}_{'_'.join(cols)} ON {self.name} ({', '.join(cols)})")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")


def analyze(table: str) -> None:
    """Statistics for a staging table on PostgreSQL, which keeps none for temporary tables on its
    own: without them it guesses a few hundred rows and sorts where it should hash."""
    if is_postgres():
        execute(f"ANALYZE {table}")


def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
