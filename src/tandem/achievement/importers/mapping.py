"""A mapping file adapts another layout to a built-in one: which of its columns is which, how
its codes translate, and its encoding and delimiter. It is a small TOML file:

    encoding = "latin-1"
    delimiter = ";"

    [columns]            # the file's column = the layout's column
    "Student ID" = "ID"
    "Subject" = "CONTENT_AREA"

    [values.CONTENT_AREA]   # the file's value = the layout's value
    "ELA" = "READING"
    "Math" = "MATHEMATICS"
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class MappingError(ValueError):
    pass


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    encoding: str = "utf-8"
    delimiter: str | None = None

    @classmethod
    def load(cls, path: Path) -> "Mapping":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as e:
            raise MappingError(f"{path}: cannot read the mapping file: {e}") from e
        except tomllib.TOMLDecodeError as e:
            raise MappingError(f"{path}: not a valid TOML mapping file: {e}") from e
        unknown = set(data) - {"columns", "values", "encoding", "delimiter"}
        if unknown:
            raise MappingError(
                f"{path}: unknown keys {', '.join(sorted(unknown))}; use columns, values, encoding, delimiter"
            )
        columns = data.get("columns", {})
        values = data.get("values", {})
        if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
            raise MappingError(f"{path}: [columns] maps each file column to a column name")
        if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
            raise MappingError(f"{path}: [values.COLUMN] tables map the file's values to the layout's values")
        encoding = data.get("encoding", "utf-8")
        if not isinstance(encoding, str):
            raise MappingError(f'{path}: the encoding is a name, such as "latin-1"')
        try:
            "".encode(encoding)
        except LookupError as e:
            raise MappingError(f"{path}: unknown encoding {encoding!r}") from e
        delimiter = data.get("delimiter")
        if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n'):
            raise MappingError(f"{path}: the delimiter is one character, not a quote or a line end")
        return cls(
            columns={str(k).upper(): str(v).upper() for k, v in columns.items()},
            values={str(k).upper(): {str(a): str(b) for a, b in v.items()} for k, v in values.items()},
            encoding=encoding,
            delimiter=delimiter,
        )
