"""The output contract: every column documented, and the docs page generated from the schemas."""

from tasks.schema import SORT_KEYS, TABLES, columns_markdown
from tests.paths import REPO


def test_every_column_has_a_description():
    for table, schema in TABLES.items():
        for field in schema:
            assert (field.metadata or {}).get(b"doc"), f"{table}.{field.name} has no description"


def test_docs_page_is_generated_from_the_schemas():
    on_disk = (REPO / "docs" / "columns.md").read_text(encoding="utf-8")
    assert on_disk.strip() == columns_markdown().strip(), "run `make docs` to regenerate docs/columns.md"


def test_sort_keys_exist():
    for table, keys in SORT_KEYS.items():
        assert set(keys) <= set(TABLES[table].names), table
