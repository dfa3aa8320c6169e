"""Key bindings as data: descriptions everywhere, no clashes, reserved keys left free."""

from __future__ import annotations

from annotator.model import DEFAULT_SCHEMA
from annotator.tui import keymap


def test_every_key_has_a_description_and_no_clash():
    seen: dict[str, str] = {}
    for key in keymap.all_keys(DEFAULT_SCHEMA):
        assert key.description
        for name in key.keys:
            assert name not in seen, f"{name} bound to {seen[name]} and {key.action}"
            seen[name] = key.action
    for reserved in keymap.RESERVED:
        assert reserved not in seen


def test_schema_keys_in_order():
    tags = keymap.label_keys(DEFAULT_SCHEMA)
    assert [k.keys for k in tags] == [("1", "c"), ("2", "a"), ("3", "l")]


def test_help_lists_every_key():
    text = keymap.keymap_markdown(DEFAULT_SCHEMA)
    for key in keymap.all_keys(DEFAULT_SCHEMA):
        assert key.description in text
