"""Name runs for the `e` key: runs of capitalised tokens, honorifics included.

Pure Python over a TextIndex. A sentence-initial capitalised common word ("The", "Speaking",
"His") is left out of the run that starts with it; months and weekdays never count as names.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from annotator import lazy_re
from annotator.text import MONTHS_AND_DAYS, TextIndex, Unit

CONNECTORS = frozenset(
    {"of", "de", "van", "von", "der", "den", "la", "le", "du", "al", "bin", "da", "di"}
)
NOT_NAMES = MONTHS_AND_DAYS
STOP = frozenset(
    [
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "My",
        "Your",
        "He",
        "She",
        "It",
        "We",
        "They",
        "I",
        "You",
        "Me",
        "In",
        "On",
        "At",
        "By",
        "For",
        "From",
        "With",
        "But",
        "And",
        "Or",
        "If",
        "As",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "Although",
        "Though",
        "However",
        "There",
        "Here",
        "What",
        "Who",
        "Why",
        "How",
        "Where",
        "Yes",
        "No",
        "Not",
        "So",
        "Then",
        "Also",
        "Even",
        "Some",
        "Many",
        "Most",
        "All",
        "Both",
        "Each",
        "Other",
        "Such",
        "Last",
        "Next",
        "According",
        "Despite",
        "During",
        "Under",
        "Over",
        "Into",
        "Than",
        "To",
        "Of",
        "Speaking",
        "Read",
        "Listen",
        "Loading",
        "Watch",
        "Meanwhile",
        "Earlier",
        "Later",
        "Now",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Still",
        "Yet",
        "Instead",
        "Asked",
        "Once",
        "Every",
        "Any",
        "Only",
        "Just",
        "De",
    ]
)


_ADJECTIVE = lazy_re.compile(__name__, "_ADJECTIVE", r"(?:ian|ean|ish|ese|ench|ern|ic)$")


def _is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper() and word[0].isalpha()


def find_names(index: TextIndex) -> list[Unit]:
    """All name runs of the text, in document order."""
    text = index.text
    tokens = index.tokens
    lower_words = {t.text for t in tokens if t.text[:1].islower()}
    sentence_starts = {s.start for s in index.sentences} | {p.start for p in index.paragraphs}
    names: list[Unit] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if not _is_cap(tok.text) or tok.text in NOT_NAMES:
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < n:
            gap = text[tokens[j - 1].end : tokens[j].start]
            if gap != " ":
                break
            word = tokens[j].text
            if _is_cap(word) and word not in NOT_NAMES:
                run.append(j)
                j += 1
            elif (
                word in CONNECTORS
                and j + 1 < n
                and text[tokens[j].end : tokens[j + 1].start] == " "
                and _is_cap(tokens[j + 1].text)
            ):
                run += [j, j + 1]
                j += 2
            else:
                break
        # drop leading common words (always for STOP words; sentence-initially when the
        # word also appears in lower case in the article, e.g. "Speaking" / "speaking")
        while run:
            first = tokens[run[0]]
            initial = first.start in sentence_starts or _after_quote(text, first.start)
            if first.text in STOP or (initial and first.text.lower() in lower_words):
                run.pop(0)
            else:
                break
        while run and tokens[run[-1]].text in CONNECTORS:
            run.pop()
        if len(run) == 1 and _ADJECTIVE.search(tokens[run[0]].text):
            run = []  # "Ukrainian", "French", "Western": nationality adjectives, not names
        if run:
            start, end = tokens[run[0]].start, tokens[run[-1]].end
            names.append(Unit(start, end, text[start:end]))
        i = j
    return names


def _after_quote(text: str, offset: int) -> bool:
    before = text[max(0, offset - 2) : offset]
    return bool(before) and before[-1] in "\"'“‘(" and (len(before) < 2 or before[0] in " \n")


class NameFinder:
    """Next / previous name from an offset (bisect over the cached runs)."""

    def __init__(self, index: TextIndex) -> None:
        self.names = find_names(index)
        self._starts = [u.start for u in self.names]

    def next_after(self, offset: int, *, inclusive: bool = False) -> Unit | None:
        i = (bisect_left if inclusive else bisect_right)(self._starts, offset)
        return self.names[i] if i < len(self.names) else None

    def previous_before(self, offset: int) -> Unit | None:
        i = bisect_left(self._starts, offset) - 1
        return self.names[i] if i >= 0 else None
