"""README.md stays true: the key table is the keymap's, and the quick start has two commands."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_key_table_is_the_keymap() -> None:
    from annotator.model import DEFAULT_SCHEMA
    from annotator.tui.keymap import keymap_markdown

    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- keys:start -->\n(.*)<!-- keys:end -->", text, re.S)
    assert block, "README.md lost its key table markers"
    assert block.group(1).endswith(keymap_markdown(DEFAULT_SCHEMA)), (
        "README key table differs from tui/keymap.py: regenerate it with keymap_markdown()"
    )


def test_quick_start_is_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", quick, re.S)
    assert len(commands) == 2
    assert commands[0].rstrip().endswith("annotator seeds/")
    assert "pip install -e '.[test]'" in commands[1] and "pytest" in commands[1]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci and "pytest" in ci


def test_scripting_example_runs(tmp_path, monkeypatch) -> None:
    """The README's scripting example, run as it is on a copy of the seed."""
    import shutil

    text = README.read_text(encoding="utf-8")
    section = text.split("## Scripting API", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)\n```", section, re.S).group(1)
    shutil.copytree(README.parent / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    from annotator.store import open_store

    with open_store(tmp_path / "annotations.json", readonly=True) as store:
        doc_id = next(store.documents()).id
        assert {s.label for s in store.spans(doc_id)} == {"ACTOR", "LOCATION"}
