"""Test-wide settings.

In CI (``CI`` set) hypothesis runs derandomized: the same examples every run, so a submission
lands or fails on its own merits, not on the luck of a random seed. Locally it explores freely
(and keeps its example database), which is where new edge cases get found.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config: object) -> None:
    """Keep the place lexicon's cache out of the user's home: one folder per test session."""
    import tempfile

    if "ANNOTATOR_CACHE_DIR" not in os.environ:
        os.environ["ANNOTATOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="annotator-test-cache-")
