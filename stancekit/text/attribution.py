"""Who says what: direct quotes and reported speech, and the holder of each stance row.

A stance toward an actor whose mention sits inside attributed content (a quote, or the clause of a
speech or cognition verb such as "said that", "accused X of", "according to") is held by that
content's source; every other stance, the speaker's own mention included, is the author's.

Quotes are found by scanning quotation marks across the whole document (a quote may span sentences
and be continued in the next paragraph); their speaker by cue patterns next to the quote. Reported
speech needs syntax: spaCy's dependency parser runs only on sentences that hold a cue word or a
quote mark, so the cost stays proportional to the sentences that can carry an attribution.
Accuracy against the project's annotated holders: ``stancekit bench`` (``benchmarks/results/``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from stancekit.results import Attribution

#: Speech and cognition verbs (lemmas) that attribute their clause to their subject.
CUE_LEMMAS = frozenset(
    """
    say tell state declare claim argue warn accuse allege believe think insist add announce deny
    admit suggest write tweet post criticize criticise praise blame welcome condemn denounce urge
    note explain complain charge assert contend maintain predict fear hope acknowledge reply respond
    reveal stress emphasize emphasise slam describe label dismiss reject applaud hail laud thank
    lament question call brand decry fault credit commend congratulate ridicule mock attack vow
    pledge promise testify recall counter concede caution lambaste rebuke scold chide report imply blast
    muse hint celebrate ask tout boast quip scoff sneer allege complain demand ask recommend defend honor
    honour award endorse rip hammer brag echo impugn conclude find cheer diss vouch insult smear
    admire proclaim lash excoriate assail berate castigate chastise eviscerate bash speak
    characterize characterise portray depict shout yell exclaim joke back grumble
    """.split()  # noqa: SIM905
)
#: Cues whose reported clause the writer states as what happened: an announced decision, or what a speaker
#: admits (a factive verb: the writer takes the clause as true, which the guidelines count as the writer's).
#: They still tag a direct quote.
_ANNOUNCED = frozenset(["announce", "admit", "acknowledge", "concede"])
#: Cues that report a speaker only when an actor is their subject ("X revealed that ..."); with a thing as
#: subject ("the text implies", "the event revealed") the clause is the writer's reading of it.
_READ_INTO = frozenset(["reveal", "imply"])


#: Things that show rather than say ("a Google search reveals", "the Mueller report implies").
_FINDINGS = frozenset(
    """
    search searches analysis study studies review poll polls survey surveys data investigation audit probe report
    reports document documents record records file files footage video videos text memo letter email emails
    """.split()  # noqa: SIM905
)


def _an_actor_speaks(tokens, base: int, mentions) -> bool:
    """Whether a subject phrase is an actor or a person, not a thing an actor's name modifies ("a Twitter search",
    "the Mueller report"): `_names_an_actor` over the phrase less the noun modifiers of its head."""
    words = {t.i for t in tokens}
    head = next((t for t in reversed(tokens) if t.head.i not in words or t.head.i == t.i), tokens[-1])
    if head.lower_ not in _FINDINGS:  # "White House officials revealed": people, named by their employer
        return _names_an_actor(tokens, base, mentions)
    drop = {g.i for c in head.children if c.dep_ == "compound" for g in c.subtree}
    kept = [t for t in tokens if t.i not in drop]
    if not drop or not kept:
        return _names_an_actor(tokens, base, mentions)
    if any(t.lower_ in ("he", "she", "they", "i", "we") for t in kept):
        return True
    # a mention overlapping a kept word: a name's own words ("Senator Alma Rizzo") are compounds of its head too
    return any(m.start < base + t.idx + len(t) and base + t.idx < m.end for t in kept for m in mentions)


def _names_an_actor(tokens, base: int, mentions) -> bool:
    """Whether a phrase (parsed tokens, offsets from ``base``) holds an actor mention or a personal pronoun."""
    if any(t.lower_ in ("he", "she", "they", "i", "we") for t in tokens):
        return True
    ss, se = base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1])
    return any(ss <= m.start and m.end <= se for m in mentions)


#: What a quote's attribution is when the writer adopts the quote ("as X wrote, '...'"): no source holds it.
_ENDORSED = object()
_AS_BEFORE = re.compile(r"\bas\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
_AS_FIRST = re.compile(r"as\s", re.IGNORECASE)  # the name pattern took a capitalized "As" into the speaker


_GO = frozenset(["go", "goes", "went", "going", "gone"])


def _goes_after(tok, base: int, mentions) -> bool:
    """ "X went after Y": "after" right after a form of "go", its object an actor (not "went after the vote")."""
    if tok.lower_ not in _GO or tok.i + 1 >= len(tok.doc):
        return False
    after = tok.doc[tok.i + 1]
    if after.lower_ != "after" or after.head.i != tok.i:
        return False
    obj = next((c for c in after.children if c.dep_ == "pobj"), None)
    return obj is not None and any(m.start <= base + obj.idx < m.end for m in mentions)


def _to_blame(tok) -> bool:
    """ "X is (not) to blame (for Y)": an infinitive "blame" after "be" judges its subject, not a speaker's act."""
    return (
        tok.lower_ == "blame"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        and tok.head.lower_ in _COPULAS
    )


def _endorsed(cue) -> bool:
    """A cue in an "as" clause ("as X pointed out, Y failed") or one the writer calls right ("X correctly noted"):
    the writer adopts what it reports. Not an "as" clause whose cue has an object of its own or voices a
    complaint ("As X criticizes Y's plan, ...", "as X grumbled that ..."): that one says when, and X holds it."""
    if any(c.dep_ == "advmod" and c.lower_ in _RIGHTLY for c in cue.children):
        return True
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children):
        return False
    return CUE_FORMS.get(cue.lower_) not in _COMPLAINTS and not any(c.dep_ == "dobj" for c in cue.children)


_RIGHTLY = frozenset(["correctly", "rightly", "accurately", "aptly", "wisely"])
#: Cues of complaint: an "as" clause with one reports a grievance at a time, it does not adopt it.
_COMPLAINTS = frozenset(["complain", "grumble", "lament", "fear"])


#: The holder of a quotation whose speaker the text does not name.
UNNAMED_SOURCE = "unnamed source"
_IRREGULAR = {
    "say": ("said", "says"),
    "tell": ("told",),
    "think": ("thought",),
    "write": ("wrote", "written"),
    "find": ("found",),
    "speak": ("spoke", "spoken"),
}


def _forms(lemma: str) -> set[str]:
    """Inflected forms of a regular verb (the parser pipeline runs without a lemmatizer, for speed)."""
    forms = {lemma, *_IRREGULAR.get(lemma, ())}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        forms |= {lemma + "s", lemma + "es", lemma + "ed", lemma + "ing"}
        if lemma[-1] in "bdglmnprt" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


#: Every form of a cue verb -> its lemma; bare "back" is mostly an adverb ("came back"), so only its verb forms.
CUE_FORMS = {f: lemma for lemma in CUE_LEMMAS for f in _forms(lemma) if f != "back"}
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i"])
#: Quote pairs: opening -> closing.
_OPEN = {"\u201c": "\u201d", '"': '"', "\u00ab": "\u00bb", "\u2018": "\u2019"}
#: Speech verbs that tag a direct quote ("...," X said / X said: "...").
_SAY = (
    r"said|says|told|added|asked|wrote|writes|insisted|warned|argued|explained|claimed|declared|continued|noted|"
    r"replied|tweeted|posted|stated|reads|read|concluded|recalled|offered|admitted|quipped|responded|remarked|"
    r"began|shouted|yelled|exclaimed|joked|continues|adds|notes|explains|argues|insists|warns|concludes"
)
_NAME = r"[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,5}"
_SAY_AFTER = re.compile(
    rf"^\s*[,\u2014-]?\s*(?:(?P<cue1>{_SAY})\s+(?P<src1>{_NAME}|(?:the|a|an)\s+[\w\s'\u2019-]{{2,60}}?)(?=[\s,.;]|$)|"
    rf"(?P<src2>(?:the|a|an\s+)?{_NAME}|the\s+[\w\s'\u2019-]{{2,40}}?|he|she|they|we|I)\s+(?P<cue2>{_SAY})\b)"
)
_SPEAKER_COLON = re.compile(r"(?:^|[.;]\s+|^\W*)(?P<src>[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019()-]*){0,5})\s*:\s*$")
#: A headline's speaker and topic before a quote: "X on Y: '...'".
_SPEAKER_ON = re.compile(
    r"\W*(?P<src>[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,4})\s+on\s+(?P<topic>[^:\"\u201c\u201d]{1,80}):\s*$"
)
#: Not sources: the writer ("I", "we": the author's own voice), the reader ("you"), nobody, an expletive "it".
_FIRST_PERSON = frozenset(["i", "we", "me", "us", "you", "it", "no one", "nobody", "this", "that"])
_SAY_BEFORE = re.compile(
    rf"(?P<src>[A-Z][\w.'\u2019-]*(?:\s+[A-Za-z][\w.'\u2019-]*){{0,5}}?|he|she|they|we|I)\s+(?:\w+ly\s+)?"
    rf"(?P<cue>{_SAY}|told [\w\s]{{1,30}}?)\s*(?:that\s*|this\s*|(?:in|on) [\w\s]{{1,30}}?)?[:,]?\s*$"
)


def _rest_is_speech(text, sent, attrs, mentions, m, cue: tuple[int, int]) -> Attribution | None:
    """The sentence after the match ``m`` as the speech of its ``src`` group, unless it is empty or a quote or a
    parsed clause already attributes it."""
    cs, ce = m.end(), sent.end
    while ce > cs and text[ce - 1] in " .\n":
        ce -= 1
    if ce <= cs or any(a.content_start <= cs < a.content_end for a in attrs):
        return None
    return _make(text, m.start("src"), m.end("src"), *cue, cs, ce, "reported", mentions)


#: "X said: ..." with unquoted words after the colon: the rest of the sentence is X's.
_SAY_COLON = re.compile(rf"(?P<src>{_NAME}|he|she|they)\s+(?P<cue>{_SAY})\s*:\s*(?=\S)")


def _colon_speech(text, sent, attrs, mentions) -> Attribution | None:
    """The unquoted speech a speech verb and a colon introduce ("X wrote: Y is a fraud"), unless a quote or a
    parsed clause already attributes it."""
    if text.find(":", sent.start, sent.end) == -1:
        return None
    m = _SAY_COLON.search(text, sent.start, sent.end)
    if m is None:
        return None
    return _rest_is_speech(text, sent, attrs, mentions, m, (m.start("cue"), m.end("cue")))


#: A headline's speaker label: a name, possibly possessive-qualified ("Agency's X"), then a colon and the claim.
_HEADLINE_SPEAKER = re.compile(r"^\W*(?P<src>[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,5})\s*:\s+(?=\S)")


def _headline_speech(text, sent, attrs, mentions) -> Attribution | None:
    """The claim after a person's name and a colon at the start of a sentence ("X: Y is a fraud ..."), the news
    headline's shorthand for "X says Y is ..."; the name must end in a person mention (not "Poll:", "WATCH:",
    an agency), and a quote or a parsed clause that already attributes the claim wins."""
    m = _HEADLINE_SPEAKER.match(text, sent.start, sent.end)
    if m is None or not any(
        x.kind == "person" and m.start("src") <= x.start and x.end == m.end("src") for x in mentions
    ):
        m = _agency_speaker(text, sent, mentions) or _caps_speaker(text, sent, mentions)
        if m is None:
            return None
    return _rest_is_speech(text, sent, attrs, mentions, m, (-1, -1))


def _labelled_speech(text, sent, attrs, label, label_mentions) -> Attribution | None:
    """The sentence after a speaker label that stands alone ("TAPPER:" then "X has failed"): the speaker's."""
    cs, ce = sent.start, sent.end
    while cs < ce and text[cs].isspace():
        cs += 1
    while ce > cs and text[ce - 1] in " .\n":
        ce -= 1
    if ce <= cs or any(a.content_start <= cs < a.content_end for a in attrs):
        return None
    return _make(text, label.start("src"), label.end("src"), -1, -1, cs, ce, "reported", label_mentions)


#: After a headline's subject: a cue verb in the present ("X Honors Y", "X slams Y") or after "to" ("X to award Y").
_HEADLINE_CUE = re.compile(r"\s+(?P<to>to\s+)?(?P<cue>[A-Za-z]+)\s+(?=\S)")
_NAME_WORDS = re.compile(r"\W*(?:[A-Z][\w.'\u2019-]*\s+)*")


_HEADLINE_NAME = re.compile(r"\W*(?P<src>[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,2})")
#: Capitalized words opening a headline that are not a name.
_NOT_NAMES = frozenset("the a an this that these those it he she they we i you".split())  # noqa: SIM905


def _headline_verb(text, sent, attrs, mentions) -> Attribution | None:
    """A headline (no closing stop) whose subject, a mention opening it, takes a cue verb: "X Honors Y With Medal",
    "X to award Y", which the parser misreads in title case or without a finite verb. What follows is the subject's
    evaluation, unless a quote or a parsed clause already attributes it."""
    end = sent.end
    while end > sent.start and text[end - 1].isspace():
        end -= 1
    closing = end - 1 if end - 1 > sent.start and text[end - 1] in "\u201d\u2019\"'" else end
    if end <= sent.start or text[closing - 1] in ".!?" or "\n" in text[sent.start : end]:
        return None
    for x in mentions:
        if x.start < sent.start or x.end >= end or _NAME_WORDS.match(text, sent.start, x.start).end() != x.start:
            continue
        m = _HEADLINE_CUE.match(text, x.end, end)
        if m is None:
            continue
        word = m.group("cue").lower()
        lemma = CUE_FORMS.get(word)
        if lemma is None or lemma in _ANNOUNCED or lemma == "maintain":
            continue  # "X admits to ...": what the writer states as what happened (see _ANNOUNCED)
        if (word not in (lemma + "s", lemma + "es")) if not m.group("to") else word != lemma:
            continue
        cs = m.end()
        if any(a.content_start <= cs < a.content_end for a in attrs) or _DETACHED.match(text, cs, end):
            return None
        return _make(text, sent.start, x.end, m.start("cue"), m.end("cue"), cs, end, "reported", mentions)
    # a name the actor finding missed ("Smith to award Y"): in a sentence-case headline only, where the cue is
    # lower case (title case capitalizes every word, so the name's extent is unknown)
    n = _HEADLINE_NAME.match(text, sent.start, end)
    if n is None or n.group("src").split()[0].lower() in _NOT_NAMES:
        return None
    m = _HEADLINE_CUE.match(text, n.end(), end)
    if m is None or not m.group("cue").islower() or any(x.start < n.end() and n.start("src") < x.end for x in mentions):
        return None
    word, lemma = m.group("cue"), CUE_FORMS.get(m.group("cue"))
    if lemma is None or lemma in _ANNOUNCED or lemma == "maintain":
        return None
    if (word not in (lemma + "s", lemma + "es")) if not m.group("to") else word != lemma:
        return None
    if any(a.content_start <= m.end() < a.content_end for a in attrs) or _DETACHED.match(text, m.end(), end):
        return None
    return _make(text, n.start("src"), n.end("src"), m.start("cue"), m.end("cue"), m.end(), end, "reported", mentions)


#: What follows an intransitive headline verb and is no object of it: a dash or a new clause ("X speaks — and Y ...").
_DETACHED = re.compile(r"[\u2014\u2013-]|(?:and|but|as)\b")


#: A wire headline's official: an agency's possessive and one name ("Fed's Yellen: ...").
_AGENCY_SPEAKER = re.compile(
    r"\W*(?P<org>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)['\u2019]s\s+(?P<src>[A-Z][\w-]+)\s*:\s+(?=\S)"
)


def _agency_speaker(text, sent, mentions):
    """The label "Agency's Name:" opening a headline when the possessor is an organization or a country (not a
    person: "X's Ground Game:" is a topic), or None."""
    m = _AGENCY_SPEAKER.match(text, sent.start, sent.end)
    if m is None or not any(
        x.kind not in ("person", "unknown") and x.start < m.end("org") and m.start("org") < x.end for x in mentions
    ):
        return None
    return m


#: A speaker label in capitals, as transcripts and columns print it ("TAPPER: ...", "SEE ALSO: HURT: ...").
_CAPS_LABEL = re.compile(r"\W*(?P<src>[A-Z][A-Z'\u2019.-]+(?:\s+[A-Z][A-Z'\u2019.-]+){0,2})\s*:(?:\s+(?=\S)|\s*$)")
#: Words of the labels news pages put before a headline or a paragraph that name no speaker ("WATCH:", "SEE ALSO:").
_TOPIC_LABELS = frozenset(
    """
    agenda alert also analysis answer audio background breaking byline cartoon chart check column commentary
    context correction coverage developing disclaimer disclosure earlier editor editorial editors exclusive
    explainer fact factcheck facts featured flashback graphic headline headlines icymi interview latest listen
    live map more nb new news note now opinion photo photos podcast poll preview question quiz read recap
    related report review see special sponsored summary the timeline today top transcript trending update
    updated updates urgent video videos warning watch
    """.split()  # noqa: SIM905
)


def _caps_speaker(text, sent, mentions):
    """The speaker label in capitals opening a sentence, past topic labels ("SEE ALSO: HURT: X is ..."), or None.

    A label the actor finding reads as an organization or a place is not taken: "NEW DELHI: ..." is a dateline.
    """
    pos = sent.start
    for _ in range(3):
        m = _CAPS_LABEL.match(text, pos, sent.end)
        if m is None:
            return None
        if not any(w.strip(".'\u2019-").lower() in _TOPIC_LABELS for w in m.group("src").split()):
            if any(
                x.kind not in ("person", "unknown") and x.start < m.end("src") and m.start("src") < x.end
                for x in mentions
            ):
                return None
            return m
        pos = m.end()
    return None


#: An embedded tweet's signature as pages render it: "— Name (@handle) Month D, YYYY"; the words before it are
#: the tweet.
_TWEET_SIGNATURE = re.compile(
    r"[\u2014\u2013]\s*(?P<src>[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,4})\s*\(@\w+\)"
    r"(?:\s*[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?"
)


def _tweet_embeds(text, sentences, mentions) -> dict[int, list[Attribution]]:
    """Per sentence index, the embedded tweets' text it holds, each held by the account its signature names. A
    signature opening its sentence signs the sentence before it (the segmenter ends a sentence inside a tweet)."""
    out: dict[int, list[Attribution]] = {}
    for k, sent in enumerate(sentences):
        start = sent.start
        for m in _TWEET_SIGNATURE.finditer(text, sent.start, sent.end):
            spans = [(k, start, m.start())]
            if start == sent.start and k and not text[sent.start : m.start()].strip(" \n>"):
                spans = [(k - 1, sentences[k - 1].start, sentences[k - 1].end)]
            for j, cs, ce in spans:
                while cs < ce and (text[cs].isspace() or text[cs] == ">"):
                    cs += 1
                while ce > cs and (text[ce - 1].isspace() or text[ce - 1] == ">"):
                    ce -= 1
                if ce > cs:
                    out.setdefault(j, []).append(
                        _make(text, m.start("src"), m.end("src"), -1, -1, cs, ce, "direct", mentions[k])
                    )
            start = m.end()
    return out


@dataclass(slots=True)
class MentionRef:
    """An actor mention as the attribution step sees it (document offsets)."""

    start: int
    end: int
    actor: str
    kind: str


class AttributionFinder:
    """Finds attributions in a document and the holder of each mention's stance."""

    def __init__(self, nlp=None, spacy_model: str | None = None) -> None:
        self._nlp = nlp
        self._spacy_model = spacy_model

    @property
    def nlp(self):
        if self._nlp is None:
            import spacy

            # the parser needs only its tok2vec (the rules read no tags): no NER, tagger, lemmatizer or senter
            from stancekit.globalstate import preserved_random_state
            from stancekit.text.segmentation import DEFAULT_SPACY_MODEL

            with preserved_random_state():  # spaCy's load draws from the global generators
                self._nlp = spacy.load(
                    self._spacy_model or DEFAULT_SPACY_MODEL,
                    exclude=["ner", "lemmatizer", "senter", "attribute_ruler", "tagger"],
                )
        return self._nlp

    # ------------------------------------------------------------------ public
    def find(self, text: str, sentences: Sequence, mentions: Sequence[Sequence[MentionRef]]) -> list[list[Attribution]]:
        """Attributions per sentence (``sentences`` have start/end; ``mentions`` per sentence)."""
        out: list[list[Attribution]] = [[] for _ in sentences]
        people = _People(m for ms in mentions for m in ms)
        quotes = _quote_spans(text)
        # one sweep over the quotes by start finds each sentence's (a quote closed without an opening
        # mark starts back at its paragraph, so starts are not in scan order; the scan order is kept)
        by_start = sorted(range(len(quotes)), key=lambda i: quotes[i][0])
        q_next, active = 0, []
        # sentences that may hold reported speech are parsed in one batch
        to_parse = [k for k, s in enumerate(sentences) if s.end - s.start < 2000 and needs_parse(text[s.start : s.end])]
        # a no-break space parses as a word of its own; a plain space keeps every offset
        parse_texts = [text[sentences[k].start : sentences[k].end].replace("\u00a0", " ") for k in to_parse]
        docs = dict(zip(to_parse, self.nlp.pipe(parse_texts), strict=True))
        prev: Attribution | None = None
        prev_sentence = -10
        tweets = _tweet_embeds(text, sentences, mentions) if "(@" in text else {}
        label = None  # a speaker label in capitals the segmenter made a sentence of its own ("TAPPER:")
        for k, sent in enumerate(sentences):
            attrs: list[Attribution] = []
            while q_next < len(by_start) and quotes[by_start[q_next]][0] < sent.end:
                active.append(by_start[q_next])
                q_next += 1
            active = [i for i in active if quotes[i][1] > sent.start]
            inside = [quotes[i] for i in sorted(active)]
            for qs, qe in inside:
                # a source is named inside its sentence, so the sentence's own mentions are the candidates
                a = self._quote_attribution(text, sent, qs, qe, mentions[k], docs.get(k))
                if a is _ENDORSED:
                    continue
                if a is None and prev is not None and prev.kind in ("direct", "continued") and k - prev_sentence <= 2:
                    a = Attribution(prev.source, prev.source_actor, -1, -1, -1, -1, qs + 1, qe - 1, "continued")
                elif a is None:  # someone's words, but whose is not said here
                    a = Attribution(UNNAMED_SOURCE, None, -1, -1, -1, -1, qs + 1, qe - 1, "direct")
                if a is not None:
                    if text[qs] not in _OPEN:  # closed without an opening mark: the words start at the paragraph
                        a.content_start = qs
                    a.content_start = max(a.content_start, sent.start)
                    a.content_end = min(a.content_end, sent.end)
                    if a.source_start >= 0 and a.source.lower() in _PRONOUNS and a.source_actor is None:
                        a.source, a.source_actor = _resolve_pronoun(a, prev, k - prev_sentence, people)
                    attrs.append(a)
            if k in docs:
                attrs.extend(self._reported(docs[k], sent.start, mentions[k], people, attrs, prev, k - prev_sentence))
            attrs.extend(tweets.get(k, ()))
            colon = (
                _colon_speech(text, sent, attrs, mentions[k])
                or _headline_speech(text, sent, attrs, mentions[k])
                or _headline_verb(text, sent, attrs, mentions[k])
            )
            if colon is None and label is not None and label[0] == k - 1:
                colon = _labelled_speech(text, sent, attrs, label[1], mentions[k - 1])
            if colon is not None:
                attrs.append(colon)
            m = _caps_speaker(text, sent, mentions[k])
            label = (k, m) if m is not None and not text[m.end() : sent.end].strip() else None
            for a in attrs:
                _unless_self_named(text, a, mentions[k], people)
                _without_epithets(text, a, mentions[k])
            out[k] = [a for a in attrs if a.source.lower() not in _FIRST_PERSON]
            if attrs:
                prev, prev_sentence = attrs[-1], k
        return out

    def holders(self, attributions: Sequence[Attribution], mentions: Sequence[MentionRef]) -> list[tuple[str, str]]:
        """(holder, holder_kind) per mention of one sentence: the innermost content that holds it."""
        return [
            ("author", "author") if a is None else (a.source, "source") for a in self.holding(attributions, mentions)
        ]

    def holding(self, attributions: Sequence[Attribution], mentions: Sequence[MentionRef]) -> list[Attribution | None]:
        """The attribution whose content holds each mention of one sentence (the innermost), or None (the author)."""
        out = []
        for m in mentions:
            best = None
            for a in attributions:
                if a.content_start <= m.start and m.end <= a.content_end:
                    if a.source_start <= m.start < a.source_end:
                        continue  # the speaker's own mention is the author's
                    if a.source_actor is not None and a.source_actor == m.actor:
                        continue  # a speaker's own "I"/"we" inside its quote is not evaluated by itself
                    if best is None or _narrower(a, best):
                        best = a
            out.append(best)
        return out

    # ------------------------------------------------------------------ quotes
    def _quote_attribution(self, text, sent, qs, qe, mentions, doc) -> Attribution | object | None:
        after = text[qe : sent.end]
        m = _SAY_AFTER.match(after)
        if m:
            src, cue = ("src1", "cue1") if m.group("src1") else ("src2", "cue2")
            ss, se = qe + m.start(src), qe + m.end(src)
            cs, ce = qe + m.start(cue), qe + m.end(cue)
            return _make(text, ss, se, cs, ce, qs + 1, qe - 1, "direct", mentions, heads=_span_heads(doc, sent, ss, se))
        before = text[max(sent.start, qs - 200) : qs]
        m = _SAY_BEFORE.search(before)
        if m:
            base = qs - len(before)
            ss, se = base + m.start("src"), base + m.end("src")
            cs, ce = base + m.start("cue"), base + m.end("cue")
            if _AS_BEFORE.search(text, max(sent.start, ss - 12), ss) or _AS_FIRST.match(text, ss, se):
                return _ENDORSED  # "as X writes, '...'": the writer adopts the quote
            parsed = _parsed_subject(doc, sent, cs, qs, qe)
            if parsed is not None:  # the pattern's name may run over words ("X who voted for Y are ... and says")
                ss, se, heads = parsed
                return _make(text, ss, se, cs, ce, qs + 1, qe - 1, "direct", mentions, heads=heads)
            return _make(text, ss, se, cs, ce, qs + 1, qe - 1, "direct", mentions, heads=_span_heads(doc, sent, ss, se))
        m = _SPEAKER_COLON.search(before)
        if m:  # "Press Secretary X: “...”"
            base = qs - len(before)
            ss, se = base + m.start("src"), base + m.end("src")
            return _make(text, ss, se, -1, -1, qs + 1, qe - 1, "direct", mentions)
        m = _SPEAKER_ON.match(text, sent.start, qs)
        if m and any(x.kind == "person" and m.start("src") <= x.start and x.end == m.end("src") for x in mentions):
            # the headline shape "X on Y: '...'" is X's words about Y (X must end in a person mention): the topic
            # and the quote are X's
            return _make(text, m.start("src"), m.end("src"), -1, -1, m.start("topic"), qe - 1, "direct", mentions)
        if doc is not None:  # the cue sits elsewhere in the sentence ("X, who said '...', ...")
            # a cue whose clause holds the quote first, the innermost such ("X, whom Y praised, said Z was '...'")
            inside = [t for t in doc if qs < sent.start + t.idx < qe]
            first = inside[0] if inside else None
            cues = sorted(
                (t for t in doc if t.lower_ in CUE_FORMS),
                key=lambda t: (first is None or first not in t.subtree, sum(1 for _ in t.subtree), t.i),
            )
            for tok in cues:
                off = sent.start + tok.idx
                if tok.lower_ in CUE_FORMS:
                    if qs <= off < qe:
                        continue
                    subj = _subject(tok)
                    if subj is not None:
                        ss = sent.start + subj[0].idx
                        se = sent.start + subj[-1].idx + len(subj[-1])
                        if qs <= ss < qe:
                            continue
                        heads = [(sent.start + a, sent.start + b) for a, b in _heads(subj)]
                        return _make(text, ss, se, off, off + len(tok), qs + 1, qe - 1, "direct", mentions, heads=heads)
        return None

    # ------------------------------------------------------------------ reported speech
    def _reported(self, doc, base, mentions, people, quotes, prev, gap) -> list[Attribution]:
        found = []
        for tok in doc:
            off = base + tok.idx
            if any(q.content_start <= off < q.content_end for q in quotes):
                continue  # inside a direct quote: that quote's speaker holds it
            unnamed = self._unnamed(tok, base, mentions)
            if unnamed is not None:
                found.append(unnamed)
                continue
            claim = _claim_clause(tok, base, mentions)
            if claim is not None:
                found.append(claim)
                continue
            viewer = _viewpoint(tok, base, mentions)
            if viewer is not None:
                found.append(viewer)
                continue
            owned = _possessed_evaluation(tok, base, mentions)
            if owned is not None:
                found.append(owned)
                continue
            if tok.lower_ == "according" and tok.dep_ == "prep":
                to = next((c for c in tok.children if c.lower_ == "to"), None)
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
                if pobj is None:
                    continue
                src = list(pobj.subtree)
                phrase = list(tok.subtree)
                ss, se = base + src[0].idx, base + src[-1].idx + len(src[-1])
                ps, pe = base + phrase[0].idx, base + phrase[-1].idx + len(phrase[-1])
                # the content is the rest of the sentence
                sent_start, sent_end = base, base + len(doc.text)
                cs, ce = (pe, sent_end) if ps - sent_start < sent_end - pe else (sent_start, ps)
                if ce == ps:  # the clause before the phrase, not the sentence before a colon or semicolon
                    cs = max([cs, *(base + t.idx + 1 for t in doc if t.text in (":", ";") and base + t.idx < ps)])
                found.append(
                    _make(
                        doc.text,
                        ss - base,
                        se - base,
                        ps - base,
                        ps - base + 9,
                        cs - base,
                        ce - base,
                        "according_to",
                        mentions,
                        base,
                    )
                )
                continue
            handed = tok.lower_ in _EVAL_NOUNS and tok.dep_ == "dobj" and tok.head.lower_ in _LIGHT_VERBS
            if tok.lower_ in CUE_FORMS and not handed:  # "blame" names a cue verb and an evaluation noun
                if CUE_FORMS[tok.lower_] in _ANNOUNCED or _endorsed(tok):
                    continue
                if _to_blame(tok):
                    continue  # "X is to blame for Y": X is the one blamed, by the writer, and says nothing
                if CUE_FORMS[tok.lower_] == "maintain" and not any(c.dep_ == "ccomp" for c in tok.children):
                    continue  # "X maintained that ..." reports; "X was able to maintain its ratings" does not
                verb = tok
            elif tok.lower_ in ("heard", "hears") and any(
                c.dep_ == "nsubj" and c.lower_ in _HEARERS for c in tok.children
            ):
                verb = tok  # "The court heard (that) X ...": what was put to the court is reported, not the writer's
            elif _goes_after(tok, base, mentions):
                verb = tok  # "X went after Y for ...": an attack in words on an actor
            elif tok.lower_ == "ruled" and any(c.dep_ == "ccomp" for c in tok.children):
                verb = tok  # "the court ruled (that) X ...": a verdict is its issuer's, like a statement
            elif tok.lower_ in _POINTS and any(c.lower_ == "to" and c.dep_ == "prep" for c in tok.children):
                verb = tok  # "X pointed to Y's openness": X's case for Y (an actor or a person must point)
            elif tok.lower_ in _EVAL_ADJECTIVES and tok.dep_ == "conj" and tok.head.lower_ in _COPULAS:
                verb = tok  # "X was not happy with Y and not impressed with Z": a second attitude, the same subject
            elif handed and any(c.dep_ == "advmod" and c.lower_ in _RIGHTLY for c in tok.head.children):
                continue  # "X rightly laid the blame on Y": the writer adopts the evaluation
            elif (
                handed
                or (tok.lower_ in _EVAL_ADJECTIVES and tok.dep_ == "acomp")
                or (
                    tok.lower_ in _ACTION_NOUNS
                    and tok.dep_ == "dobj"
                    and any(c.lower_ == "against" and c.dep_ == "prep" for c in (*tok.children, *tok.head.children))
                )
            ):
                verb = tok.head  # "X took a swipe at Y", "X was critical of Y": the light verb's subject evaluates
            else:
                continue
            subj = _gerund_subject(verb) if verb is tok else None
            subj = subj or _subject(verb)
            repaired = verb is tok and _misparsed_verb(tok) and (subj is None or not _content_tokens(verb, subj))
            if repaired:
                subj = _repaired_subject(tok)
            if subj is None:
                continue
            if (CUE_FORMS.get(verb.lower_) in _READ_INTO or verb.lower_ in _POINTS) and not _an_actor_speaks(
                subj, base, mentions
            ):
                # "the files reveal that X ...", "a Twitter search reveals ...": what a thing shows is the
                # writer's reading (an actor naming the thing, "Twitter" in "a Twitter search", is not its subject)
                continue
            if repaired:  # the parse gives the verb no clause: what follows it is what it says
                content = [t for t in doc[tok.i + 1 :] if not t.is_space]
                while content and content[-1].is_punct:
                    content.pop()
            else:
                content = _content_tokens(verb, subj)
            if verb.dep_ == "relcl" and any(
                c.dep_ == "dobj" and c.lower_ in _RELATIVE_OBJECTS and c.i < verb.i for c in verb.children
            ):
                # "X, whom Y criticized": the relative pronoun stands for X, the evaluated antecedent
                start = min(t.i for t in verb.subtree)
                content = [t for t in verb.head.subtree if t.i < start and not t.is_punct] + content
            if not content:
                continue
            ss, se = subj[0].idx, subj[-1].idx + len(subj[-1])
            cs, ce = content[0].idx, content[-1].idx + len(content[-1])
            if any(q.content_start <= base + cs and base + ce <= q.content_end + 1 for q in quotes):
                continue  # the clause is the quote already attributed
            a = _make(doc.text, ss, se, tok.idx, tok.idx + len(tok), cs, ce, "reported", mentions, base, _heads(subj))
            if a.source.lower() in _PRONOUNS and a.source_actor is None:
                earlier = [q for q in (*quotes, *found) if q.source_actor is not None]
                a.source, a.source_actor = _resolve_pronoun(
                    a, earlier[-1] if earlier else prev, 0 if earlier else gap, people
                )
            found.append(a)
        return found

    @staticmethod
    def _unnamed(tok, base, mentions) -> Attribution | None:
        """Evaluations reported without a speaker in the clause: "X is accused of", "X faced criticism (from Y)".

        The evaluated subject is content; the source is the "from" phrase when there is one, else unnamed."""
        verb = None
        if (
            tok.dep_ == "amod"
            and CUE_FORMS.get(tok.lower_) in _EVALUATED_PARTICIPLES
            and tok.lower_.endswith("ed")
            and tok.head.i > tok.i
            and not _misparsed_verb(tok)
        ):
            verb = tok.head  # "the widely criticized plan by X": the noun phrase is what others evaluate
        elif tok.lower_ in CUE_FORMS and CUE_FORMS[tok.lower_] in _PASSIVE_CUES:
            if any(c.dep_ == "nsubjpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children):
                verb = tok
        elif tok.lower_ in _NOUN_CUES and tok.dep_ in ("dobj", "pobj", "attr") and tok.head.lower_ in _NOUN_CUE_VERBS:
            verb = tok.head
            if verb.lower_ == "under" and verb.head.lower_ in ("come", "came", "comes", "coming"):
                verb = verb.head  # "saw X come under fire": the clause of "come", X included
        elif (
            tok.lower_ in _JUDGED
            and any(c.dep_ == "nsubjpass" for c in tok.children)
            and any(c.lower_ == _JUDGED[tok.lower_] for c in tok.subtree if c.i > tok.i)
        ):
            verb = tok  # "X was widely seen as ...", "X is regarded as a threat (by Y)"
        if verb is None:
            return None
        source = next(
            (
                g
                for c in (*tok.children, *verb.children)
                if c.lower_ == "from" or c.dep_ == "agent"
                for g in c.children
                if g.dep_ == "pobj"
            ),
            None,
        )
        skip = set(source.subtree) if source is not None else set()
        if source is None:
            source, phrase = _named_elsewhere(verb)
            skip = set(phrase.subtree) if phrase is not None else skip
        for c in verb.children:  # another source's phrase is not this evaluation's content
            if c.lower_ == "according":
                skip.update(c.subtree)
        tokens = [t for t in verb.subtree if t not in skip]
        while len(tokens) > 1 and tokens[-1].is_punct:
            tokens.pop()
        cs, ce = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if source is None:
            return Attribution(
                UNNAMED_SOURCE,
                None,
                -1,
                -1,
                tok.idx + base,
                tok.idx + len(tok) + base,
                cs + base,
                ce + base,
                "reported",
            )
        src = list(source.subtree)
        ss, se = src[0].idx, src[-1].idx + len(src[-1])
        return _make(tok.doc.text, ss, se, tok.idx, tok.idx + len(tok), cs, ce, "reported", mentions, base, _heads(src))


def _named_elsewhere(verb):
    """(source, the phrase naming it) when an agentless passive names its source in a side phrase: "X was
    criticized, with Y saying ...", "X was accused of ... in a book by Y"; (None, None) when there is none."""
    for c in verb.subtree:  # the phrase may hang on a gerund of the clause ("accused of spying ... in a book by Y")
        if c.dep_ != "prep" or (c.head.i != verb.i and c.lower_ != "in"):
            continue
        for g in c.children:
            if c.lower_ == "with" and g.dep_ == "pcomp":
                subj = next((s for s in g.children if s.dep_ == "nsubj"), None)
                if subj is not None:
                    return subj, c
            if c.lower_ == "in" and g.dep_ == "pobj" and g.lower_ in _MEDIUM:
                by = next((b for b in g.children if b.lower_ == "by"), None)
                author = next((a for a in by.children if a.dep_ == "pobj"), None) if by is not None else None
                if author is not None:
                    return author, c
    return None, None


#: Cue verbs whose agentless passive reports someone's evaluation ("is accused of", "was widely criticized").
_PASSIVE_CUES = frozenset(
    [
        "charge",
        "accuse",
        "allege",
        "criticize",
        "criticise",
        "condemn",
        "blame",
        "denounce",
        "slam",
        "praise",
        "hail",
        "call",
        "brand",
        "describe",
        "label",
    ]
)
#: Nouns whose "that" clause is someone's view ("X's insistence that Y lied", "pushing a narrative that Y ...").
#: Left out: words by which the writer judges the clause ("myth", "lie", "fact") or only names it ("idea", "news").
_CLAIM_NOUNS = frozenset(
    """
    claim claims belief beliefs insistence assertion assertions allegation allegations accusation accusations
    narrative argument contention charge charges suggestion warning warnings complaint complaints smear smears
    report reports rumor rumors rumour rumours
    """.split()  # noqa: SIM905
)
#: Claim nouns that are someone's view only when a possessor or a voicing verb holds them ("X made the point that").
_HELD_CLAIMS = frozenset(["point", "points"])
#: Claim nouns that are themselves where a claim comes from: with no holder, they are the source ("reports that").
_HEARSAY = frozenset(["report", "reports", "rumor", "rumors", "rumour", "rumours"])
#: Verbs whose subject holds the view the claim noun they take names ("X pushed the claim that ...").
_CLAIM_HOLDERS = frozenset(
    f
    for v in ("push", "champion", "spread", "peddle", "repeat", "make", "voice", "advance", "promote", "float")
    for f in _forms(v)
) | {"made", "spread", "pushed"}


def _possessor(noun):
    """The possessor of a noun: its "poss" child, or a name ending in s before a bare apostrophe ("X Sykes’
    belief"), which the parser often leaves as punctuation."""
    holder = next((c for c in noun.children if c.dep_ == "poss"), None)
    if holder is not None or noun.i < 2:
        return holder
    mark, name = noun.doc[noun.i - 1], noun.doc[noun.i - 2]
    if mark.text in ("'", "\u2019") and name.lower_.endswith("s") and name.text[:1].isupper():
        return name
    return None


#: Evaluation nouns a possessor holds toward their prepositional object ("X's criticism of Y", "X's call for Y to
#: resign", "X's attacks on Y"), with the prepositions that name the target; all are parser-gate words already.
_POSSESSED = {
    **dict.fromkeys(["criticism", "criticisms", "condemnation", "rebuke"], ("of",)),
    **dict.fromkeys(["attack", "attacks", "tirade"], ("on", "against")),
    **dict.fromkeys(["accusation", "accusations"], ("of", "against")),
    **dict.fromkeys(["swipe", "swipes", "jab", "jabs"], ("at",)),
    "praise": ("of", "for"),
    **dict.fromkeys(["call", "calls"], ("for", "on")),
    **dict.fromkeys(["demand", "demands"], ("for",)),
}
_NP_INSIDE = frozenset(["compound", "det", "amod", "poss", "case", "nummod", "punct"])
_POSSESSIVE_PRONOUNS = frozenset(["his", "her", "their", "its", "my", "our", "your"])


def _possessed_evaluation(tok, base, mentions) -> Attribution | None:
    """ "X's criticism of Y": the possessor (a name or a noun, not a pronoun) evaluates the object of the
    preposition; the noun must be used as a noun (a nominal dependency), not as the verb "calls"."""
    preps = _POSSESSED.get(tok.lower_)
    if preps is None or tok.dep_ not in _NOMINAL:
        return None
    owner = _possessor(tok)
    if owner is None or owner.lower_ in _POSSESSIVE_PRONOUNS:
        return None
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in preps), None)
    if prep is None and "for" in preps:  # "X's call for Y to resign": the parser makes "for" the clause's mark
        prep = next(
            (c for c in tok.children if c.dep_ in ("acl", "relcl") and any(g.lower_ == "for" for g in c.children)),
            None,
        )
    content = [t for t in prep.subtree if t is not prep and t.lower_ != "for"] if prep is not None else []
    if prep is not None and not content:  # a bare preposition, its object hung elsewhere: the noun phrase after it
        for t in tok.doc[prep.i + 1 :]:
            content.append(t)
            if t.dep_ not in _NP_INSIDE:
                break
    while content and content[-1].is_punct:
        content.pop()
    if not content:
        return None
    src = list(owner.subtree)
    while len(src) > 1 and src[-1].dep_ == "case":
        src.pop()  # the name without its "'s"
    ss, se = src[0].idx, src[-1].idx + len(src[-1])
    cs, ce = content[0].idx, content[-1].idx + len(content[-1])
    return _make(tok.doc.text, ss, se, tok.idx, tok.idx + len(tok), cs, ce, "reported", mentions, base, _heads(src))


_NOMINAL = frozenset(["nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "npadvmod"])


def _claim_clause(tok, base, mentions) -> Attribution | None:
    """The "that" clause of a claim noun, held by the noun's possessor ("X's claim that ..."), by the subject of a
    verb that voices it ("X pushed the claim that ..."), or else by an unnamed source ("the allegation that ...")."""
    if (tok.lower_ not in _CLAIM_NOUNS and tok.lower_ not in _HELD_CLAIMS) or tok.dep_ not in _NOMINAL:
        return None  # "claims" may be the verb ("X claims that ..."), which the cue rules take
    clause = next(
        (
            c
            for c in tok.children
            # a "that" that is the clause's mark, not a relative pronoun, also where the parser says relcl
            if c.dep_ in ("acl", "ccomp", "relcl") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
        ),
        None,
    )
    if clause is None:
        return None
    content = list(clause.subtree)
    cs, ce = content[0].idx, content[-1].idx + len(content[-1])
    holder = _possessor(tok)
    if holder is not None:
        src = [t for t in holder.subtree if t.dep_ != "case" and t.i < tok.i and t.text not in ("'", "\u2019")]
    elif tok.dep_ == "dobj" and tok.head.lower_ in _CLAIM_HOLDERS:
        src = _subject(tok.head)
    elif tok.dep_ in ("nsubj", "nsubjpass"):
        return None  # "The argument that ... is weak": a view the writer weighs, not one the sentence reports
    else:
        src = None
    if not src and tok.lower_ in _HELD_CLAIMS:
        return None  # "to the point that ...": a degree, unless someone makes or owns the point
    if not src and tok.lower_ in _HEARSAY:  # "reports that ...": the reports are the source, by their words
        src = [t for t in tok.subtree if t.i <= tok.i and (t.i == tok.i or t.dep_ in ("compound", "amod"))]
    if not src:
        return Attribution(
            UNNAMED_SOURCE, None, -1, -1, tok.idx + base, tok.idx + len(tok) + base, cs + base, ce + base, "reported"
        )
    ss, se = src[0].idx, src[-1].idx + len(src[-1])
    return _make(tok.doc.text, ss, se, tok.idx, tok.idx + len(tok), cs, ce, "reported", mentions, base, _heads(src))


#: Judgement verbs that report a view only in the passive ("X is widely seen as"), with the word their
#: complement needs. "Considered"/"deemed" are left out: in the annotated data they mostly carry the writer's
#: own framing ("X is considered the architect of ...").
_JUDGED = {
    "interpreted": "as",
    "painted": "as",
    "portrayed": "as",
    "depicted": "as",
    "characterized": "as",
    "characterised": "as",
    "seen": "as",
    "viewed": "as",
    "regarded": "as",
    "perceived": "as",
    "framed": "as",
    "packaged": "as",
}
#: Nouns that carry an evaluation from others ("faced criticism from", "came under fire", "drew praise").
_NOUN_CUES = frozenset(
    [
        "criticism",
        "fire",
        "backlash",
        "outrage",
        "condemnation",
        "accusations",
        "allegations",
        "praise",
        "scrutiny",
        "charges",
    ]
)
#: Participles that, before a noun, report others' evaluation of it ("the widely criticized plan"); not
#: "so-called", "alleged", "accused", "labeled", which name or distance rather than evaluate.
_EVALUATED_PARTICIPLES = frozenset(["criticize", "criticise", "condemn", "denounce", "praise", "hail", "slam", "blast"])
_NOUN_CUE_VERBS = frozenset(
    [
        "brushed",
        "brushes",
        "shrugged",
        "shrugs",
        "dismissed",
        "dismisses",
        "deflected",
        "deflects",
        "rebuffed",
        "weathered",
        "faced",
        "faces",
        "face",
        "facing",
        "came",
        "come",
        "comes",
        "under",
        "drew",
        "draws",
        "drawn",
        "sparked",
        "received",
        "receives",
    ]
)

#: Evaluation nouns a speaker gives, takes or launches ("took a swipe at Y", "mounted an attack on Y").
_EVAL_NOUNS = frozenset(
    """
    criticism criticisms attack attacks swipe swipes broadside broadsides jab jabs dig digs rebuke tirade diatribe
    tribute tributes accusation accusations allegation allegations salvo blame
    horror dismay outrage anger frustration disgust disappointment admiration gratitude fire
    """.split()  # noqa: SIM905
)
#: Legal and political actions one takes against a target ("X filed a lawsuit against Y", "X began impeachment
#: proceedings against Y"): the verb's subject holds the stance toward the "against" phrase.
_ACTION_NOUNS = frozenset(["lawsuit", "lawsuits", "suit", "proceedings", "complaint", "complaints"])
#: Verbs that hand an evaluation noun to its target (not "brushed aside criticism", where the subject is the target).
_LIGHT_VERBS = frozenset(
    _forms("give")
    | {"gave", "given", "took", "taken", "made", "paid", "levelled", "unleashed", "hurled", "lobbed"}
    | {
        f
        for v in ("take", "launch", "mount", "level", "issue", "deliver", "voice", "express", "make")
        for f in _forms(v)
    }
    | {f for v in ("offer", "aim", "direct", "pay", "unleash", "hurl", "lob", "train", "turn") for f in _forms(v)}
    # "X laid/put/placed/pinned the blame on Y"
    | {"lay", "lays", "laid", "laying", "put", "puts", "putting", "pinned", "pins", "pin"}
    | _forms("place")
)
#: Adjectives of attitude after a copula ("X was critical of Y", "X is sceptical of Y").
_EVAL_ADJECTIVES = frozenset(
    """
    critical dismissive scornful contemptuous supportive skeptical sceptical wary suspicious complimentary
    happy unhappy pleased displeased impressed unimpressed angry furious upset disappointed frustrated appalled
    harsh brutal hostile scathing sympathetic
    """.split()  # noqa: SIM905
)

#: Copula forms a second attitude adjective hangs on ("X was not happy with A and not impressed with B").
_COPULAS = frozenset(
    ["is", "are", "was", "were", "be", "been", "being", "'s", "\u2019s", "'re", "\u2019re", "seemed", "seems"]
)

#: Bodies that "hear" what is put to them in court reporting ("the court heard that ...").
_HEARERS = frozenset(["court", "jury", "tribunal", "inquest", "hearing"])
#: "X pointed to Y's ...": X's case for Y; like "reveal", only when an actor or a person points.
_POINTS = frozenset(["pointed", "points", "pointing"])

#: What makes a sentence worth parsing: a quote mark, or a word the attribution rules act on (a cue
#: verb's inflected form, an evaluation noun, "according"). Whole words only: a sentence without one
#: yields no attribution from the parse, so the parser is not run on it.
_CUE_WORDS = re.compile(
    r"[\"\u201c\u201d]|\b(?:"
    + "|".join(
        sorted(
            {
                *CUE_FORMS,
                *_NOUN_CUES,
                *_EVAL_NOUNS,
                *_EVAL_ADJECTIVES,
                *_JUDGED,
                *_CLAIM_NOUNS,
                *_ACTION_NOUNS,
                "according",
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b|\b(?:court|jury|tribunal|inquest|hearing) (?:heard|hears)\b|\bpoint(?:ed|s|ing) to\b"
    + r"|\bpoints? that\b|\bruled\b|\b(?:go|goes|went|going|gone) after\b"
    + r"|^\W*(?:but |and |yet )?to [^,]{1,60},|\bin (?:the (?:eyes|view|opinion) of|\S+ (?:eyes|view|opinion),)",
    re.IGNORECASE,
)


def needs_parse(sentence: str) -> bool:
    """Whether a sentence holds a quote mark or a word the parse-based rules act on (the parser's gate)."""
    return _CUE_WORDS.search(sentence) is not None


_VIEW_NOUNS = frozenset(["eyes", "view", "opinion", "mind"])


def _viewpoint(tok, base, mentions) -> Attribution | None:
    """A clause framed as someone's view by a phrase opening the sentence: "To X, Y is ...", "In the eyes of X,
    ...", "In X's view, ..."; the holder must be an actor, a pronoun, a name or a plural group ("To critics, ").
    Read from the words up to the first comma, which the parser often hangs on the wrong head."""
    doc = tok.doc
    if tok.lower_ not in ("to", "in") or any(t.dep_ != "cc" for t in doc[: tok.i]):
        return None
    comma = next((t.i for t in doc[tok.i + 1 : tok.i + 9] if t.text == ","), None)
    if comma is None or comma == tok.i + 1:
        return None
    words = list(doc[tok.i + 1 : comma])
    if tok.lower_ == "in":
        view = next((i for i, t in enumerate(words) if t.lower_ in _VIEW_NOUNS), None)
        if view is None:
            return None
        if view + 1 < len(words) and words[view + 1].lower_ == "of":
            src = words[view + 2 :]  # "in the eyes of X"
        elif view == len(words) - 1:
            src = [t for t in words[:view] if t.lower_ not in ("the", "'s", "’s")]  # "in X's view"
        else:
            return None
    else:
        src = words
    if not src or any(t.lower_ in _VIEW_NOUNS for t in src):
        return None
    head = src[-1]
    named = _names_an_actor(src, base, mentions) or head.text[:1].isupper()
    if not named and not (head.lower_.endswith("s") and not head.lower_.endswith("ss")):
        return None
    clause = [t for t in doc[comma + 1 :] if not t.is_space]
    while clause and clause[-1].is_punct:
        clause.pop()
    if not clause:
        return None
    ss, se = src[0].idx, src[-1].idx + len(src[-1])
    cs, ce = clause[0].idx, clause[-1].idx + len(clause[-1])
    return _make(
        doc.text,
        ss,
        se,
        tok.idx,
        tok.idx + len(tok),
        cs,
        ce,
        "reported",
        mentions,
        base,
        [(head.idx, head.idx + len(head))],
    )


# ---------------------------------------------------------------------- helpers
#: The other closing mark a double quotation may end with when an article mixes straight and curly marks.
_MIXED = {'"': "\u201d", "\u201c": '"'}


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included. A quotation left open runs to the end of its
    paragraph; a closing curly mark with no opening one closes a quotation begun before the paragraph
    (a quote continued across paragraphs, or an excerpt). Scare quotes (a few words, no clause) are dropped."""
    spans = []
    i, n = 0, len(text)
    para = 0
    next_para = -1  # the next paragraph break at or after i, found once per break (linear in the text)
    while i < n:
        ch = text[i]
        if ch == "\n" and text[i + 1 : i + 2] == "\n":
            para = i + 2
        if ch == "\u201d":  # closing mark with no opening one in this paragraph
            spans.append((para, i + 1))
        elif ch in _OPEN and (ch != '"' or _opens(text, i)):
            if next_para < i:
                next_para = text.find("\n\n", i)
                next_para = n if next_para == -1 else next_para
            end_para = next_para
            j = text.find(_OPEN[ch], i + 1, end_para)
            if j == -1 and ch in _MIXED:  # scraped text closes a straight opening with a curly mark or back
                j = text.find(_MIXED[ch], i + 1, end_para)
            if j == -1 and ch == '"' and not text[i + 1 : end_para].strip():
                spans.append((para, i + 1))  # a straight mark ending its paragraph closes a quotation begun before
                i += 1
                continue
            if j == -1:
                spans.append((i, end_para))
                i = end_para
                continue
            spans.append((i, j + 1))
            i = j + 1
            continue
        i += 1
    return [
        (s, e)
        for s, e in spans
        if (len(text[s + 1 : e - 1].split()) > 3 or re.search(r"[.!?,]\W*$", text[s : e - 1]))
        and not _TITLE.fullmatch(text[s + 1 : e - 1])
    ]


#: A quoted name or title, not speech: capitalized words (and the small words of titles), no clause punctuation
#: ("the “Black Sea Fishing League”", “The Art of Winning”).
_TITLE = re.compile(r"\s*[A-Z][\w'\u2019&-]*(?:\s+(?:[A-Z][\w'\u2019&-]*|of|the|and|for|in|on|a|an|to))*\s*")


def _opens(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def _extraposed(tok) -> bool:
    """An infinitive after "it is ADJ" ("It is difficult to call ...", "it is fair to say ..."): the "it" is
    expletive, so the verb has no speaker (the parser hangs the infinitive on the copula or on the adjective)."""
    copula = tok.head.head if tok.head.dep_ == "acomp" else tok.head
    return any(c.dep_ == "acomp" for c in copula.children) and any(
        c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in copula.children
    )


def _subject(tok, depth: int = 0):
    """The subject phrase of a cue verb: its nsubj, a passive's agent, a relative clause's antecedent
    ("X, who said ..."), or, for a participle or conjoined verb without one, its head verb's subject."""
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    if len(subjects) > 1 and all(c.i < tok.i for c in subjects):
        return _split_subject(subjects)
    for c in subjects:
        if c.lower_ in _RELATIVE and tok.dep_ == "relcl":
            antecedent = [t for t in tok.head.subtree if t.i < c.i]
            return antecedent or None
        if c.lower_ in _RELATIVE and c.i and _comma_before(c) and depth < 2:
            return _misparsed_antecedent(c, depth)
        return list(c.subtree)
    for c in tok.children:  # passive: "X was accused by Y"
        if c.dep_ == "agent":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return list(pobj.subtree)
    if tok.dep_ == "ROOT" and any(c.dep_ == "dobj" for c in tok.children):
        # a headline verb the parser took for a noun ("X files lawsuit against Y"): it has an object, so the
        # compound before it is its subject
        first = next((c for c in tok.children if c.dep_ == "compound" and c.i < tok.i), None)
        if first is not None:
            return list(first.subtree)
    if tok.dep_ == "xcomp" and _extraposed(tok):
        return None  # "It is hard to call X a failure": the writer's own judgement, no speaker
    if depth < 2 and tok.dep_ == "xcomp" and tok.head.dep_ == "acomp" and tok.head.head.i != tok.head.i:
        return _subject(tok.head.head, depth + 1)  # "X is sure/eager to argue ...": the copula's subject
    if depth < 2 and tok.dep_ == "xcomp":  # "X is set/expected to begin ...": the raised passive subject
        # ("X were seen and heard criticizing Y": the passive subject of the first of two conjoined verbs)
        governors = (tok.head, tok.head.head) if tok.head.dep_ == "conj" else (tok.head,)
        raised = next((c for g in governors for c in g.children if c.dep_ == "nsubjpass"), None)
        if raised is not None:
            return list(raised.subtree)
    if depth < 2 and tok.dep_ in ("conj", "advcl", "xcomp") and tok.head.i != tok.i:  # "X said ... and warned"
        return _subject(tok.head, depth + 1)
    if depth < 2 and tok.dep_ == "pcomp" and tok.head.dep_ == "prep":  # "X went on to criticize", "by calling"
        obj = next((c for c in tok.head.head.children if c.dep_ == "dobj"), None)
        if obj is not None and tok.head.lower_ in ("for", "of") and obj.i < tok.i:
            return list(obj.subtree)  # "X blamed Y for calling ...": the gerund is the object's act, not X's
        owner = tok.head.head
        if owner.dep_ == "acomp":  # "X was vocal about criticizing Y": the copula's subject
            owner = owner.head
        while owner.dep_ in ("pobj", "prep") and owner.head.i != owner.i:
            owner = owner.head  # "X devoted time in her remarks to criticizing Y": the verb the phrase hangs on
        return _subject(owner, depth + 1)
    if depth < 2 and tok.dep_ == "acl" and tok.head.lower_ in _MEDIUM and tok.head.dep_ == "dobj":
        return _subject(tok.head.head, depth + 1)  # "X issued a statement calling ...", "took the chance to say"
    if (
        depth < 2
        and tok.dep_ == "acl"
        and tok.lower_.endswith("ing")
        and not tok.head.text[:1].isupper()
        and (tok.head.dep_ == "pobj" or tok.doc[tok.i - 1].text in (",", "-", "\u2013", "\u2014"))
    ):
        # "X sent a memo to staff stating ...", "X runs the same tactics — warning ...": a participle the parser
        # hung on a common noun after a preposition, or set off by a comma or dash, speaks for the subject of
        # the verb that governs the object ("X cheered a speaker saying ...": the speaker speaks, not X)
        verb = tok.head
        while verb.dep_ in _OBJECT_CHAIN and verb.head.i != verb.i:
            verb = verb.head
        if verb is not tok.head and verb.dep_ not in _OBJECT_CHAIN:
            return _subject(verb, depth + 1)
    if tok.dep_ == "acl" and tok.lower_.endswith("ing") and tok.head.i < tok.i and tok.head.dep_ in _SUBJECTS:
        # "Democrats calling for an inquiry included ...": the participle describes its noun, which speaks
        return [t for t in tok.head.subtree if t.i < tok.i] or None
    return None


_SUBJECTS = frozenset(["nsubj", "nsubjpass"])


def _comma_before(tok) -> bool:
    """Whether a comma comes right before a word ("..., that accused")."""
    return tok.i > 0 and tok.doc[tok.i - 1].text == ","


#: How a relative clause's antecedent is reached from the word before the pronoun ("a mailer, approved by X, that").
_ANTECEDENT_CHAIN = frozenset(["pobj", "agent", "prep", "acl", "appos", "compound", "amod", "punct"])


def _misparsed_antecedent(rel, depth: int):
    """The subject a relative pronoun stands for when the parser made its clause an adverbial ("X sent a mailer,
    approved by Y, that accused Z"): the noun the words before it hang on, or, for a statement-like noun that is
    an object ("a mailer", "a memo"), the subject of the verb that sent it."""
    noun = rel.doc[rel.i - 2] if rel.i >= 2 else None
    while noun is not None and noun.dep_ in _ANTECEDENT_CHAIN and noun.head.i != noun.i and noun.head.i < rel.i:
        noun = noun.head
    if noun is None or noun.i >= rel.i or noun.dep_ == "ROOT":
        return None
    if noun.lower_ in _MEDIUM and noun.dep_ == "dobj" and noun.head.i != noun.i:
        return _subject(noun.head, depth + 1)
    return [t for t in noun.subtree if t.i < rel.i - 1] or None


def _split_subject(subjects):
    """One subject the parser split into several ("X co - founder ... Y explained", "HOST:\\n Our guest says"):
    the words from the first to the last, less a speaker label ended by a colon or a line break before them."""
    doc = subjects[0].doc
    words = list(doc[min(t.i for c in subjects for t in c.subtree) : max(t.i for c in subjects for t in c.subtree) + 1])
    cut = max((i for i, t in enumerate(words) if t.text == ":" or "\n" in t.text), default=-1)
    words = [t for t in words[cut + 1 :] if not t.is_space]
    return words or None


#: How a participle hung on an object reaches the verb that governs the object ("sent a memo to staff stating").
_OBJECT_CHAIN = frozenset(["dobj", "pobj", "prep", "dative"])


def _gerund_subject(tok):
    """The subject the parser split from a cue gerund after a preposition: "culminating in X saying that ...",
    "amid X warning that ..." (X hung on the preposition, the gerund on the verb)."""
    if not tok.lower_.endswith("ing") or tok.i == 0 or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return None
    noun = tok.doc[tok.i - 1]
    if (
        noun.dep_ != "pobj"
        or noun.head.lower_ not in ("in", "with", "amid", "after", "despite")
        or not noun.text[:1].isupper()
    ):
        return None
    return [t for t in noun.subtree if t.i < tok.i]


def _misparsed_verb(tok) -> bool:
    """A finite cue verb the small parser took for an adjective or left without a subject: "X, a senator,
    slammed[amod] Y's record", "X also suggested[ROOT, X an adverb] that ...". A participle after a
    determiner or an adjective ("the accused man", "a noted author") is a real adjective and stays one."""
    if not (tok.lower_.endswith("ed") or tok.lower_ in ("said", "told", "wrote", "says", "spoke")):
        return False
    if tok.i == 0:
        return False
    before = tok.doc[tok.i - 1]
    if tok.dep_ == "amod":
        if before.is_lower and before.lower_.endswith("ly"):  # "X repeatedly hammered Y", not "the widely hailed Y"
            return tok.i < 2 or tok.doc[tok.i - 2].dep_ not in ("det", "poss")
        return before.text in (",", ")")
    return tok.dep_ == "ROOT" and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children)


def _repaired_subject(tok):
    """The subject of a misparsed cue verb: its own nsubj, the subject of the sentence root before it ("X,
    vying to be ..., slammed Y"), or a capitalized name opening the sentence ("X also suggested ...")."""
    own = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if own is not None:
        return list(own.subtree)
    doc = tok.doc
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is not None and root.i != tok.i:
        subj = next((c for c in root.children if c.dep_ == "nsubj" and c.i < tok.i), None)
        if subj is not None:
            return [t for t in subj.subtree if t.i < tok.i]
        return _noun_phrase_before(tok)
    words = [t for t in doc[: tok.i] if not (t.lower_ in ("also", "then") or (t.is_lower and t.lower_.endswith("ly")))]
    if words and len(words) <= 5 and all(t.text[:1].isupper() or t.is_punct for t in words):
        return words
    return None


def _noun_phrase_before(tok):
    """The noun phrase right before a cue (past its adverbs) when the parse gives the sentence no subject there
    ("..., a powerful group repeatedly hammered[amod] Y"): the noun and the words before it that modify it."""
    i = tok.i - 1
    while i >= 0 and tok.doc[i].is_lower and tok.doc[i].lower_.endswith("ly"):
        i -= 1
    if i < 0 or tok.doc[i].is_punct or tok.doc[i].is_lower and tok.doc[i].lower_ in _NOT_NOUNS:
        return None
    noun = tok.doc[i]
    words = [t for t in noun.subtree if t.i <= noun.i]
    return words if words and words[-1].i == noun.i else None


#: Words that end no subject noun phrase.
_NOT_NOUNS = frozenset(["and", "or", "but", "that", "which", "who", "to", "of", "in", "on", "for", "with", "as"])

_RELATIVE = frozenset(["who", "that", "which"])
_RELATIVE_OBJECTS = frozenset(["whom", "who", "which", "that"])
#: Nouns for what a source issues or takes to speak: a cue verb attached to one ("X issued a statement
#: calling Y ...") speaks for the subject of the verb that governs the noun.
_MEDIUM = frozenset(
    """
    statement statements tweet tweets memo letter post message video op-ed column email note release remarks
    comment comments
    speech interview opportunity chance occasion time ad advertisement mailer editorial essay book report article
    """.split()  # noqa: SIM905
)


def _parsed_subject(doc, sent, cue_start: int, qs: int, qe: int):
    """(start, end, heads) in document offsets of the parsed subject of the cue word at ``cue_start``, when it
    lies outside the quote ``qs:qe``; None without a parse or a subject."""
    if doc is None:
        return None
    tok = next((t for t in doc if sent.start + t.idx == cue_start), None)
    subj = _subject(tok) if tok is not None else None
    if not subj:
        return None
    ss, se = sent.start + subj[0].idx, sent.start + subj[-1].idx + len(subj[-1])
    if ss < qe and qs < se:
        return None
    return ss, se, [(sent.start + a, sent.start + b) for a, b in _heads(subj)]


def _span_heads(doc, sent, ss: int, se: int) -> list[tuple[int, int]] | None:
    """Document offsets of the syntactic heads of a source span a pattern found ("X, president of Y": X), or
    None without a parse (the span's last word is then its head)."""
    if doc is None:
        return None
    tokens = [t for t in doc if ss <= sent.start + t.idx < se and not t.is_punct]
    if not tokens:
        return None
    return [(sent.start + a, sent.start + b) for a, b in _heads(tokens)]


def _heads(subj) -> list[tuple[int, int]]:
    """The head of a subject phrase and of its appositions ("Y's foreign minister, X"), sentence offsets."""
    # spaCy makes a new Token object on each access: the sentence root is its own head by index, not identity
    # the last such word: a subject the parser split ("X co - founder Y") ends in its head (Y)
    root = next((t for t in reversed(subj) if t.head not in subj or t.head.i == t.i), subj[-1])
    heads = [root] + [c for c in root.children if c.dep_ == "appos"]
    return [(t.idx, t.idx + len(t)) for t in heads]


def _content_tokens(tok, subj):
    """What the cue verb attributes: its clauses, objects and complements (not its subject, auxiliaries,
    time adverbs or conjoined verbs, which carry their own attribution). A passive with an agent ("X was
    mocked by Y") attributes its grammatical subject too, also when a conjoined verb shares it."""
    skip = {t.i for t in subj}
    keep = []
    loaded = None
    if any(c.dep_ == "agent" for c in tok.children):
        patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if patient is None and tok.dep_ == "conj":
            patient = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if patient is not None:
            keep.extend(patient.subtree)
    for c in tok.children:
        if c.i < subj[0].i and c.dep_ in _FRONTED:
            continue  # "In a stunning reversal, X said ...": the writer's framing before the speaker
        if c.dep_ == "npadvmod":  # a time word ("Friday") is not content, an object the parser hung on it is
            keep.extend(t for t in c.subtree if t.i not in skip and t is not c)
            continue
        if c.i in skip or c.dep_ in _NOT_CONTENT:
            continue
        if c.dep_ == "prep" and c.lower_ == "to" and tok.lower_ in _RESPONSES:
            continue  # "X responded to Y's question about Z": what X answers is not what X says
        if c.dep_ == "dobj" and any(g.dep_ == "amod" and g.lower_ in _LOADED for g in c.children):
            loaded = c  # "X ripped Y's botched response": the writer's own word judges the object, not X's
            continue
        keep.extend(t for t in c.subtree if t.i not in skip)
    keep.sort(key=lambda t: t.i)
    if loaded is not None:  # content is one span: what follows the object, not a span across it
        last = max(t.i for t in loaded.subtree)
        keep = [t for t in keep if t.i > last]
    return keep


#: The writer's evaluative modifiers on a reported act's object ("X slammed Y's reckless plan"): the judgement in
#: the adjective is the writer's, so the object is not the speaker's content. Common loaded adjectives of
#: political news, both directions; neutral descriptive ones ("new", "controversial", "proposed") are left out.
_LOADED = frozenset(
    """
    botched bungled fumbling failed failing disastrous catastrophic reckless radical extreme extremist bogus phony
    fake dishonest corrupt cruel violent dangerous racist bigoted outrageous shameful disgraceful absurd ridiculous
    insane chaotic incompetent inept worst misguided hateful vile despicable lawless illegal unhinged deranged
    pathetic sham baseless unfounded ludicrous draconian heartless callous inhumane xenophobic divisive toxic
    brilliant heroic courageous visionary historic foolish stupid idiotic hypocritical shameless disgusting appalling
    """.split()  # noqa: SIM905
)


_FRONTED = frozenset(["prep", "advcl", "advmod", "npadvmod", "intj"])
_RESPONSES = frozenset(_forms("respond") | _forms("reply"))


_NOT_CONTENT = frozenset(
    [
        "nsubj",
        "nsubjpass",
        "punct",
        "aux",
        "auxpass",
        "neg",
        "advmod",
        "npadvmod",
        "cc",
        "conj",
        "agent",
        "mark",
        "prt",
        "det",
        "relcl",
        "appos",
    ]
)


def _make(text, ss, se, cs, ce, ks, ke, kind, mentions, base: int = 0, heads=None) -> Attribution:
    """An Attribution in document offsets (``text`` starts at ``base``); ``heads`` are the source's head words."""
    while se > ss and text[se - 1] in " ,":
        se -= 1
    words = text[ss:se]
    if heads is None:  # an English noun phrase ends in its head: "A State Department spokesman"
        last = words.rsplit(None, 1)[-1] if words.strip() else ""
        heads = [(se - len(last), se)]
    actor = _actor_in(text, ss + base, se + base, [(a + base, b + base) for a, b in heads], mentions, base)
    return Attribution(actor or words, actor, ss + base, se + base, cs + base, ce + base, ks + base, ke + base, kind)


_SPOKES = frozenset(
    ["spokesperson", "spokesman", "spokeswoman", "spokespeople", "aide", "aides", "office", "representative"]
)


def _actor_in(text, ss, se, heads, mentions, base) -> str | None:
    """The actor the source names: the mention holding its head word ("Senator X", "Y's minister, X"), or the
    actor a spokesperson speaks for ("X's spokesperson", "a spokesperson for X"); None for plain words."""
    inside = [m for m in mentions if ss <= m.start and m.end <= se]
    for hs, he in heads:
        for m in mentions:  # a name the source span cuts short still names its actor
            if m.start < he and hs < m.end:
                return m.actor
    for hs, he in heads:
        if text[hs - base : he - base].lower() not in _SPOKES:
            continue
        for m in inside:
            between = text[m.end - base : hs - base] if m.end <= hs else text[he - base : m.start - base]
            if re.fullmatch(r"['’]s\s+(?:\w+\s+)?", between) or re.fullmatch(
                r"\s+(?:for|of)\s+(?:the\s+)?(?:[A-Z][\w.]*\s+)?", between
            ):
                return m.actor
    return None


def _narrower(a: Attribution, b: Attribution) -> bool:
    """Whether ``a`` holds content more tightly than ``b``; on equal content a named source beats an unnamed one
    ("X was charged with Y, said Z": Z's words, not an unnamed accusation)."""
    wa, wb = a.content_end - a.content_start, b.content_end - b.content_start
    return wa < wb or (wa == wb and b.source_start < 0 <= a.source_start)


class _People:
    """A document's person mentions, for "the nearest person before an offset" in logarithmic time."""

    def __init__(self, mentions) -> None:
        self._people = sorted((m for m in mentions if m.kind == "person"), key=lambda m: m.end)
        self._ends = [m.end for m in self._people]

    def last_before(self, offset: int, skip: str | None = None) -> MentionRef | None:
        """The nearest person mention ending before ``offset`` (of another actor than ``skip``)."""
        i = bisect.bisect_right(self._ends, offset)
        while i and skip is not None and self._people[i - 1].actor == skip:
            i -= 1
        return self._people[i - 1] if i else None


def _resolve_pronoun(a, prev, gap, people: _People) -> tuple[str, str | None]:
    """A pronoun speaker is the previous speaker (within two sentences), else the nearest person before it."""
    if prev is not None and gap <= 2 and prev.source_actor is not None:
        return prev.source_actor, prev.source_actor
    before = people.last_before(a.source_start)
    if before is not None:
        return before.actor, before.actor
    return a.source, None


#: A speaker named by a pronoun or a common-noun description ("he", "the president", "a spokeswoman").
_DESCRIBED = re.compile(r"(?:he|she|they|(?:the|a|an)\s+[a-z][\w\s'\u2019-]*)", re.IGNORECASE)


_REFERRING = frozenset("he she they his her hers him them their theirs its it himself herself themselves".split())  # noqa: SIM905


def _is_name(words: str) -> bool:
    """Whether a mention is a name, not a pronoun or description that coreference resolved."""
    return words.lower() not in _REFERRING and not _DESCRIBED.fullmatch(words)


def _unless_self_named(text, a: Attribution, mentions, people: _People) -> None:
    """Undo a resolution that makes a speaker named by a pronoun or description ("he", "the president") an actor
    its own words name: a speaker seldom speaks of itself in the third person, so the resolution (coreference
    in the sentence, or the nearest person before) took the wrong actor. The source becomes the nearest other
    person before a pronoun that the words do not name, else the source's own words."""
    if a.source_actor is None or a.source_start < 0:
        return
    words = text[a.source_start : a.source_end]
    if not _DESCRIBED.fullmatch(words) or any(w[:1].isupper() for w in words.split()[1:]):
        return
    named = {
        m.actor
        for m in mentions
        if a.content_start <= m.start
        and m.end <= a.content_end
        and not a.source_start <= m.start < a.source_end
        and _is_name(text[m.start : m.end])
    }
    if a.source_actor not in named:
        return
    other = people.last_before(a.source_start, skip=a.source_actor) if words.lower() in _PRONOUNS else None
    if other is not None and other.actor not in named and not (a.content_start <= other.start < a.content_end):
        a.source, a.source_actor = other.actor, other.actor
    else:
        a.source, a.source_actor = words, None


#: The writer's epithet right before a name ("dictator X", "infamous white supremacist X"): a label the writer
#: puts on the actor, not words of the source whose reported clause it sits in.
_EPITHET = re.compile(
    r"\b(?:dictators?|tyrants?|despots?|strongman|autocrats?|infamous|notorious|disgraced|murderous|thugs?)"
    r"(?:\s+[a-z][\w-]*){0,2}\s+$",
    re.IGNORECASE,
)


_EPITHET_AFTER = re.compile(r",?\s+(?:notorious|infamous)\s+(?:for|as)\b", re.IGNORECASE)


def _without_epithets(text, a: Attribution, mentions) -> None:
    """Leave a name the writer labels with an epithet out of reported content: the content ends before the
    epithet, or starts after the name when the epithet opens it. A direct quote keeps it (the source's words)."""
    if a.kind not in ("reported", "according_to"):
        return
    for m in mentions:
        if not (a.content_start <= m.start and m.end <= a.content_end):
            continue
        e = _EPITHET.search(text, a.content_start, m.start)
        if e is not None and e.end() == m.start:
            start = e.start()
        elif _EPITHET_AFTER.match(text, m.end, a.content_end):
            start = m.start  # "a Y notorious for red tape"
        else:
            continue
        if start - a.content_start >= a.content_end - m.end:
            end = start
            while end > a.content_start and text[end - 1] in " ,":
                end -= 1
            a.content_end = end
        else:
            a.content_start = m.end
