"""Team annotation: several annotators' databases compared, merged and adjudicated (no Textual).

- :mod:`.inputs`: opening several databases read-only, the documents they share;
- :mod:`.measures`: Cohen's and Fleiss' kappa, Krippendorff's alpha, span F1, over counts;
- :mod:`.agreement`: the figures of ``annotator agree``;
- :mod:`.merge`: ``annotator merge`` (spans and links enough annotators share);
- :mod:`.review`: the adjudication logic behind ``annotator review``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .agreement import agree
    from .inputs import AnnotatorDB, TeamError, close_inputs, common_documents, open_inputs

__all__ = ["AnnotatorDB", "TeamError", "agree", "close_inputs", "common_documents", "open_inputs"]

# The app imports .timing at start-up; the measures are imported when first asked for, so
# they cost a start nothing (PEP 562).
_INPUTS = ("AnnotatorDB", "TeamError", "close_inputs", "common_documents", "open_inputs")
_WHERE = {"agree": ".agreement", **dict.fromkeys(_INPUTS, ".inputs")}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value
