"""CLAIM suggestions: quotations and the clause after a reporting verb.

Per GUIDELINES.md the span is the asserted content without quote marks, reporting verb or
attribution, one span per sentence of a multi-sentence quotation. Short quoted fragments
("hot phase") are left to the reported clause around them. Boilerplate is skipped (the
title is not boilerplate, so a headline that quotes someone counts).
"""

from __future__ import annotations

import re

from annotator.model import Document
from annotator.suggest._common import MONTHS_AND_DAYS, QUOTES, Words
from annotator.suggest.evidence import S
from annotator.suggest.types import Suggestion
from annotator.text import TextIndex

ENGINE = "claims"
MIN_QUOTE_WORDS = 3
NOUN_DETERMINERS = frozenset(
    ["a", "an", "the", "this", "that", "his", "her", "its", "their", "our", "my", "your", "no"]
)

# Verbs that introduce a clause directly ("warned it was time", "said his client would").
STRONG_VERBS = (
    "said|says|say|admitted|admits|admit|warned|warns|warn|claimed|claims|claim|insisted|"
    "insists|insist|declared|declares|argued|argues|believes|believe|believed|"
    "acknowledged|acknowledges|suggested|suggests|maintained|maintains|stressed|stresses|"
    "alleged|alleges|conceded|concedes|contended|contends|saying|warning|arguing|insisting|"
    "alleging"
)
# Verbs that introduce a clause only with "that" ("announced that", "promised that").
WEAK_VERBS = (
    "added|adds|stated|states|announced|announces|confirmed|confirms|denied|denies|promised|"
    "promises|reported|reports|revealed|reveals|explained|explains|noted|notes|predicted|"
    "predicts|agreed|agrees|accepted|accepts|showed|shows|found|finds|ruled|rules|testified|"
    "estimate|estimates|estimated|pointed out|points out|point out|concluded|concludes"
)
CLAUSE_START = (
    r"(?:(?:only\s+|also\s+)?that\s+|(?=(?:he|she|it|they|we|i|you|there|the|a|an|his|her|its|their|this|these|"
    r"those|our|my|more|less|most|some|many|all|no|none|every|each|only|about|nearly|almost|"
    r"over|at least|\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|several|few|both|such|"
    r"[A-Z0-9])\b)"
    # "said officers had fired", "said passwords and card details were not affected": a bare
    # plural noun phrase whose finite verb follows within a few words
    r"|(?=(?!(?:his|was|has|this|its|is|as|us|thus|perhaps|always|sometimes|afterwards|"
    r"towards|across|unless|yes|less|plus|besides|goodbye|goodbyes|words|thanks|in|on|at|to|"
    r"for|with|by|from|of|after|before|during|while|when|if|so|but|and|or|nothing|"
    r"something|anything|sorry|hello|yesterday|today|tomorrow|earlier|later|again|"
    r"last|next|recently|publicly|privately|afterwards|repeatedly|not)\b)[a-z]{2,}\b"
    r"[^.,;:!?\"“”]{0,80}?\b(?:had|have|has|were|was|are|is|would|will|could|should|might|may|can|"
    r"cannot|must|did|do)\b)"
    r"|(?=(?!(?:" + "|".join(MONTHS_AND_DAYS) + r")\b)[A-Z][\w.-]*(?:['’]s)?\s+"
    r"(?:[a-z][\w-]*\s+){0,4}?(?:had|have|has|were|was|are|is|would|will|could|should|"
    r"might|may|can|cannot|must|[a-z]+ed)\b))"
)
# Between a reporting verb and its "that": "said in a statement that", "said this month that".
ASIDE = (
    r"(?:\s+(?:in an? (?:letter|memo|email|post|note|filing|speech|message|report|statement)"
    r"[^,.;:\"“”]{0,50}?(?=\s+that\b)|in a statement|in an interview|in a report|at a news conference|on \w+day|"
    r"this (?:week|month|year|morning)|last (?:week|month|year|night)|earlier|later|"
    r"in (?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|\d{4})|"
    r"yesterday|today|on Twitter|on X|publicly|privately|repeatedly))?"
)
# "told Reuters the runner was ...": addressee, then a clause with no "that" whose subject is
# a pronoun or determiner phrase followed soon by a finite verb.
ADDRESSEE = (
    r"(?:(?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3}|reporters|journalists|lawmakers|"
    r"MPs|him|her|them|us|me|parliament|the\s+court|the\s+(?:BBC|AP|AFP|paper|newspaper))"
)
BARE_CLAUSE = (
    r"(?=(?:the|a|an|he|she|it|they|we|i|there|his|her|its|their|this|these|those|no)\b"
    r"[^.,;:!?\"“”]{0,60}?\b(?:was|were|is|are|had|has|have|would|will|could|should|might|"
    r"may|can|cannot|must|did|does|do)\b)"
)
REPORT_RE = re.compile(
    r"\b(?:(?:" + STRONG_VERBS + r"|" + WEAK_VERBS + r")" + ASIDE + r"\s+that\s+"
    r"|(?:"
    + STRONG_VERBS
    + r")\s+"
    + CLAUSE_START
    + r"|(?:told|tells|tell|assured|assures|reminded|warned|informed)\s+"
    r"(?:[^,.;:\"“”]|\.(?=\w)){1,60}?\s+that\s+"
    r"|(?:told|tells|assured|assures|informed|reminded)\s+"
    + ADDRESSEE
    + r"\s+"
    + BARE_CLAUSE
    + r")",
)
# Verbs of the speaker's own acts: "said the vote was X and blamed Y" ends the claim at "and".
SPEECH_ACTS = (
    r"said|told|added|warned|blamed|accused|urged|called|vowed|pledged|critici[sz]ed|praised|"
    r"thanked|demanded|insisted|described|dismissed|condemned|welcomed|announced|promised|"
    r"argued|claimed|denied|admitted|rejected|asked|appealed|stressed|noted|suggested|"
    r"questioned|attacked|defended|hailed|apologi[sz]ed|refused|declined|threatened|"
    r"says|adds|warns|blames|accuses|urges|calls|vows|pledges|insists|denies|admits"
)
# "said that A but that B": two claims.
SECOND_THAT_RE = re.compile(r"(?:,\s*)?\s+(?:but|and|or)\s+(?:also\s+)?that\s+")
# "According to X, ...": the rest of the sentence is X's claim (unless X is data, not a speaker).
ACCORDING_LEAD_RE = re.compile(r"^\W*[Aa]ccording to (?P<src>[^,.;:]{2,60}?),\s+")
ACCORDING_TAIL_RE = re.compile(
    r"^(?P<claim>[A-Z].{15,}?),?\s+according to (?P<src>[^,;:]{2,90}?)"
    r"(?:,\s+[^,;:]{2,60}?)?[.!]?$"  # "according to UNHCR, the UN refugee agency."
)
DATA_SOURCES = frozenset(
    [
        "figures",
        "data",
        "statistics",
        "estimates",
        "estimate",
        "polls",
        "poll",
        "survey",
        "surveys",
        "census",
        "records",
        "calculations",
        "forecasts",
        "forecast",
        "results",
        "study",
        "studies",
        "research",
        "analysis",
        "tally",
        "count",
        "numbers",
        "index",
        "projections",
        "models",
        "model",
    ]
)
# Where a reported clause stops: attribution tails and the narrator taking over.
CLAUSE_END_RE = re.compile(
    r"(?:,\s+(?:a claim|an accusation|an allegation|a charge|a view|a position)\b"
    r"|,\s+but\s+(?=(?:he|she|it|they|we|i|you|the|a|an|this|that|these|those|there|his|"
    r"her|its|their|our|[A-Z])\b)|;\s|\s+in an interview\b|\s+in a statement\b|,\s+according to\b"
    r"|\s+according to\b|,\s+(?:he|she|they|it)\s+(?:said|added|told)\b"
    r"|,\s+and\s+(?:also\s+)?[a-z]+ed\b|\s+speaking to\b"
    r"|,\s+(?:arguing|saying|adding|warning|insisting|noting)\b"
    r"|,\s+and\s+(?:most|many|some|several|other|few)\s"
    # "..., and the Citrus Growers' Association warned that ...": a new speaker
    r"|,\s+and\s+(?:the\s+)?[A-Z][^,.;:]{0,60}?\s+(?:" + SPEECH_ACTS + r")\s+that\b"
    r"|\s+and\s+(?:also\s+)?(?:" + SPEECH_ACTS + r")\b"
    r"|,?\s+but\s+(?:also\s+)?(?:" + SPEECH_ACTS + r")\b"
    r"|\s+and\s+(?:declared|ordered|launched|imposed|sent|suspended)\b)"
)
TRAILING_ATTRIBUTION_RE = re.compile(
    r"^(?P<claim>[A-Z].{15,}?),\s+(?P<who>[^,]{2,90}?(?:,\s+[^,]{2,60}?,)?)\s+(?:say|says|said|"
    r"announced|added|"
    r"claimed|warned|insisted|reported|confirmed)(?:\s+on\s+\w+|\s+today|\s+yesterday)?"
    # the sentence may go on after the attribution: "..., the ministry said on Friday, in a move"
    r"(?:[.!]?$|,\s+(?:in|as|after|warning|saying|adding|amid|citing|while|without|but)\b)"
)


INVERTED_RE = re.compile(
    r"(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){0,2}(?:spokes\w+|official|source|"
    r"representative|minister|adviser|advisor|aide|diplomat|negotiator|president|chairman|"
    r"chairwoman|chair|director|chief|leader|head|secretary|founder|owner)\b\s*[,.]"
)


def _trim(text: str, start: int, end: int, *, keep_final: bool) -> tuple[int, int]:
    """Trim spaces, quote marks and (unless keep_final) final punctuation at both edges."""
    strip_end = " \t\n,;:" + QUOTES + ("" if keep_final else ".!?")
    while start < end and text[start] in " \t\n" + QUOTES:
        start += 1
    while end > start and text[end - 1] in strip_end:
        end -= 1
    # a closing quote mark that belongs to a quotation opened inside the span stays
    inner = text[start:end]
    unbalanced = inner.count('"') % 2 == 1 or inner.count("“") > inner.count("”")
    if end < len(text) and text[end] in QUOTES and unbalanced:
        end += 1
    return start, end


def _quotations(doc: Document, index: TextIndex, words: Words) -> list[Suggestion]:
    text = doc.text
    out: list[Suggestion] = []
    for quote in index.quotations:
        content = text[quote.start : quote.end]
        if len(re.findall(r"\w+", content)) < MIN_QUOTE_WORDS:
            continue
        first = content.lstrip(" " + QUOTES)[:1]
        if not first.isupper() and not first.isdigit():
            continue  # a fragment inside a reported clause
        pieces = [
            (max(s.start, quote.start), min(s.end, quote.end))
            for s in index.sentences_in(quote.start, quote.end)
        ] or [(quote.start, quote.end)]
        for start, end in pieces:
            start, end = _trim(text, start, end, keep_final=True)
            if end - start > 0 and len(re.findall(r"\w+", text[start:end])) >= 2:
                out.append(Suggestion(start, end, "CLAIM", ENGINE, S.quotation))
    return out


def _clauses(text: str, start: int, limit: int) -> tuple[list[tuple[int, int]], int]:
    """The reported clause(s) from ``start``: "A but that B" gives two. Returns them and the stop."""
    pieces: list[tuple[int, int]] = []
    while True:
        rest = text[start:limit]
        cut = CLAUSE_END_RE.search(rest)
        second = SECOND_THAT_RE.search(rest)
        if second and (cut is None or second.start() <= cut.start()):
            pieces.append((start, start + second.start()))
            start += second.end()
            continue
        stop = start + (cut.start() if cut else len(rest))
        nxt = REPORT_RE.search(text, start, stop)
        if nxt and re.search(r",\s+but\s+\S+\s*$|\s+and\s+\S+\s*$", text[start : nxt.start()]):
            stop = nxt.start()
        pieces.append((start, stop))
        return pieces, stop


# A data source with an agent behind it speaks: "figures from the statistics bureau",
# "the property data firm Cotality"; bare "official figures" do not.
AGENT_NOUNS = re.compile(
    r"\b(?:firm|company|group|agency|bureau|office|ministry|department|institute|"
    r"researchers|analysts|economists|experts|officials|scientists|[A-Z][a-z]+ (?:Bureau|Office))\b"
)


def _not_data(source: str) -> bool:
    data = any(w in DATA_SOURCES for w in re.findall(r"[a-z]+", source.lower()))
    # "SCA data", "figures published by the ABS", "Statistics Canada": someone stands behind them
    named = any(w not in MONTHS_AND_DAYS for w in re.findall(r"\b[A-Z][\w-]*", source))
    return not data or bool(AGENT_NOUNS.search(source)) or named


def _reported(doc: Document, index: TextIndex, words: Words) -> list[Suggestion]:
    text = doc.text
    out: list[Suggestion] = []

    def emit(s: int, e: int, score: float) -> None:
        s, e = _trim(text, s, e, keep_final=False)
        if len(re.findall(r"\w+", text[s:e])) >= 3:
            out.append(Suggestion(s, e, "CLAIM", ENGINE, score))

    for sentence in index.sentences:
        body = text[sentence.start : sentence.end]
        pos = 0
        lead = ACCORDING_LEAD_RE.match(body)
        if lead and _not_data(lead.group("src")):
            pieces, stop = _clauses(text, sentence.start + lead.end(), sentence.end)
            for s, e in pieces:
                emit(s, e, S.according_to)
            pos = stop - sentence.start
        for m in REPORT_RE.finditer(body):
            if m.start() < pos:
                continue
            before = body[: m.start()].split()[-1:] or [""]
            if before[0].lower() in NOUN_DETERMINERS:
                continue  # "a claim that ...": a noun, not a reporting verb
            start = sentence.start + m.end()
            if INVERTED_RE.match(text, start):
                continue  # '..." said a ministry spokesperson, Lin Qiuyue': the attribution
            quote = index.quotation_at(start)
            limit = sentence.end
            if quote is not None and quote.start < sentence.start + m.start():
                limit = min(limit, quote.end)  # reported speech inside a quotation ends with it
            if start < len(text) and text[start] in QUOTES:
                quote = index.quotation_at(start + 1)
                inner = text[quote.start : quote.end].lstrip(" " + QUOTES) if quote else ""
                if inner[:1].isupper() or inner[:1].isdigit():
                    continue  # a quoted sentence follows: the quotation part covers it
            pieces, stop = _clauses(text, start, limit)
            for s, e in pieces:
                emit(s, e, S.reported_clause)
            pos = stop - sentence.start
        m = TRAILING_ATTRIBUTION_RE.match(body)
        if m and not any(q in m.group("claim")[:1] for q in QUOTES):
            s, e = _trim(text, sentence.start, sentence.start + m.end("claim"), keep_final=False)
            out.append(Suggestion(s, e, "CLAIM", ENGINE, S.trailing_attribution))
        m = ACCORDING_TAIL_RE.match(body)
        if m and _not_data(m.group("src")) and not any(q in m.group("claim")[:1] for q in QUOTES):
            emit(sentence.start, sentence.start + m.end("claim"), S.according_to_after)
    return out


def suggest(doc: Document, index: TextIndex, words: Words | None = None) -> list[Suggestion]:
    words = words or Words(doc.text, index)
    found = _quotations(doc, index, words) + _reported(doc, index, words)
    return [s for s in found if words.on_boundaries(s.start, s.end)]
