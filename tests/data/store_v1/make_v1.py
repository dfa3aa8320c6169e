"""How the format-1 fixture beside this file was made, with the store of commit 37b244e
(before checksums): a snapshot, then a journal of later changes left unfolded, as a killed
process leaves it. Kept to document the fixture; the tests read the files, not this script."""

import sys
from datetime import UTC, datetime

from annotator.model import Document
from annotator.store import open_store

path = sys.argv[1]
T = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
text1 = 'Kyiv said on Monday that the minister had left Moscow. "We will not sign," he said.'
text2 = "Residents of Lviv claim the bridge closed. Emoji 😀 and Straße."
d1 = Document(id="d1", text=text1, path="a.txt", title="First", date=T)
d2 = Document(id="d2", text=text2, path="b.txt", title="Second")
s = open_store(path, annotator="olduser")
s.add_span(d1, 0, 4, "LOCATION", span_id="s1", created=T)
s.add_span(d1, 29, 37, "ACTOR", span_id="s2", created=T)
s.add_span(d1, 0, 55, "CLAIM", span_id="s3", created=T)
s.add_relation("s3", "s2", "SOURCE", relation_id="r1")
s.add_span(
    d2,
    13,
    17,
    "LOCATION",
    origin="suggested",
    annotator="suggest:gazetteer",
    span_id="s4",
    created=T,
)
s.add_span(
    d2, 0, 9, "ACTOR", origin="suggested", annotator="suggest:patterns", span_id="s5", created=T
)
s.reject_suggestion("s5")
s.set_status("d1", "done")
s.compact()  # the format-1 snapshot holds the above
s.declare_label("EVENT")
s.add_span(d2, 18, 41, "CLAIM", span_id="s6", created=T)
s.set_origin("s4", "manual", annotator="olduser")
s.remove_span("s1")
s.set_status("d2", "in_progress")
# leave the journal unfolded: drop the store like a killed process would
s._journal.close()
s._lock.release()
s._closed = True
