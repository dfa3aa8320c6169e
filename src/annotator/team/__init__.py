"""Team annotation: several annotators' databases compared, merged and adjudicated (no Textual).

- :mod:`.inputs`: opening several databases read-only, the documents they share;
- :mod:`.measures`: Cohen's and Fleiss' kappa, Krippendorff's alpha, span F1, over counts;
- :mod:`.agreement`: the figures of ``annotator agree``;
- :mod:`.merge`: ``annotator merge`` (spans and links enough annotators share);
- :mod:`.review`: the adjudication logic behind ``annotator review``.
"""

from .agreement import agree
from .inputs import AnnotatorDB, TeamError, close_inputs, common_documents, open_inputs

__all__ = ["AnnotatorDB", "TeamError", "agree", "close_inputs", "common_documents", "open_inputs"]
