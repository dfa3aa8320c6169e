"""The core must stay importable without Textual: the TUI is a shell over it."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "annotator",
    "annotator.model",
    "annotator.text",
    "annotator.corpus",
    "annotator.store",
    "annotator.history",
    "annotator.export",
    "annotator.suggest",
    "annotator.suggest.job",
    "annotator.worker",
    "annotator.cli",
]

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("core imported textual: " + name)
        return None
sys.meta_path.insert(0, Block())
import importlib
for module in {modules!r}:
    importlib.import_module(module)
assert not any(m == "textual" or m.startswith("textual.") for m in sys.modules), "textual leaked"
print("ok")
"""


def test_core_imports_without_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER.format(modules=CORE_MODULES)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
