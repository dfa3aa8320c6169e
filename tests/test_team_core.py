"""The team package is core: importable with Textual blocked (the CLI commands too)."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "annotator.team",
    "annotator.team.agreement",
    "annotator.team.measures",
    "annotator.team.inputs",
    "annotator.team.merge",
    "annotator.team.review",
    "annotator.team.timing",
    "annotator.team.tokens",
    "annotator.cli",  # registers annotator.commands.team
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
print("ok")
"""


def test_team_imports_without_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER.format(modules=MODULES)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
