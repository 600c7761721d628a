"""The schemas: internally consistent, and the data dictionary in step with them."""

from __future__ import annotations

from conftest import SAMPLE

from toolkit.schema import BEGIN_MARK, END_MARK, KINDS, TABLES, data_dictionary


def test_data_dictionary_matches_the_schemas():
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    section = text[text.index(BEGIN_MARK) + len(BEGIN_MARK) : text.index(END_MARK)]
    assert section.strip() == data_dictionary().strip(), (
        "sample_data/README.md is out of date: run `python -m toolkit.schema`"
    )


def test_every_column_is_documented_in_the_dictionary():
    text = data_dictionary()
    for table in TABLES.values():
        assert f"### `{table.name}.csv`" in text
        for col in table.columns:
            assert f"| `{col.name}` |" in text


def test_keys_and_references_name_real_columns():
    for table in TABLES.values():
        names = set(table.column_names)
        assert set(table.key) <= names, table.name
        for col in table.columns:
            assert col.kind in KINDS
            assert col.description and col.example, (table.name, col.name)
        for fk in table.foreign_keys:
            assert set(fk.columns) <= names
            parent = TABLES[fk.table]
            assert set(fk.ref_columns) <= set(parent.column_names)
            # references point at a key, so that a lookup is unambiguous
            assert tuple(fk.ref_columns) == parent.key, (table.name, fk.table)


def test_ikm_has_the_nine_official_elements_in_order():
    ikm = TABLES["ikm_responses"]
    assert [c.name for c in ikm.columns[3:]] == [f"u{i}" for i in range(1, 10)]
    assert "Kompetensi Pelaksana" in ikm.column("u6").description
    assert "Sarana dan Prasarana" in ikm.column("u9").description
