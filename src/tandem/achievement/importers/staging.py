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


def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
