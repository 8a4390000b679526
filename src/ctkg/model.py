"""The data model: plain typed Python, no RDF.

A :class:`Document` is what ingest and extraction make of one source file: the
resolution it holds (structure and meaning) and, for a press release, the
meeting it reports.  Every extracted item carries a :class:`Span` of character
offsets into the source file's text, so that it can be traced back to the exact
wording.

>>> Span(4, 9).slice("The Security Council,")
'Secur'
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

ParagraphKind = Literal["preambular", "operative", "subparagraph"]
DeonticKind = Literal["obligation", "prohibition", "permission"]
DeadlineKind = Literal["relative", "absolute", "periodic"]
InstrumentKind = Literal["convention", "protocol", "charter", "ga-resolution"]


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` in the source text."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        """Return the part of ``text`` this span covers."""
        return text[self.start : self.end]


@dataclass(frozen=True)
class SourceInfo:
    """The file a document was read from."""

    path: str
    sha256: str
    chars: int
    kind: Literal["resolution", "press-release"]


@dataclass(frozen=True)
class Vote:
    """How the Council voted."""

    in_favour: int | None
    against: int | None
    abstentions: int | None
    abstaining: tuple[str, ...] = ()
    unanimous: bool = False


@dataclass(frozen=True)
class Adoption:
    """When and how a resolution was adopted, and where each fact came from."""

    date: date | None
    meeting: int | None
    vote: Vote | None
    chapter_vii: bool
    source: str  # "text", "index" or "text+index"
    meeting_record: str | None = None
    press_release: str | None = None
    meeting_date: datetime.date | None = None  # from the record that gave the meeting number
    date_in_text: datetime.date | None = None
    date_in_index: datetime.date | None = None


@dataclass
class Paragraph:
    """A preambular paragraph, an operative paragraph or a sub-paragraph."""

    eid: str
    kind: ParagraphKind
    label: str
    number: str | None
    ordinal: int
    text: str
    span: Span
    opening: str | None = None
    heading: str | None = None
    parent: str | None = None
    children: list[Paragraph] = field(default_factory=list)

    def walk(self) -> list[Paragraph]:
        """This paragraph and all its descendants, in document order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(frozen=True)
class Heading:
    """A heading or section letter in the body of a resolution."""

    text: str
    ordinal: int
    kind: Literal["section", "heading"]
    span: Span


@dataclass(frozen=True)
class SupportingRole:
    """An actor that assists, is consulted or cooperates ("with the assistance of UNODC")."""

    role: Literal["assistance", "consultation", "cooperation", "support"]
    actor: str
    span: Span


@dataclass(frozen=True)
class Deadline:
    """A time limit: relative ("within ten months"), absolute or periodic."""

    kind: DeadlineKind
    text: str
    span: Span
    duration: str | None = None  # ISO 8601 duration, e.g. "P10M"
    due_date: date | None = None
    anchor: str | None = None  # "adoption" for relative deadlines


@dataclass
class Clause:
    """One operative clause: a verb, its modality, its addressees and what it asks."""

    id: str
    paragraph: str  # paragraph eid
    paragraph_label: str
    ordinal: int
    verb: str
    modality: str
    binding: bool
    directive: bool
    kind: DeonticKind | None
    addressees: tuple[str, ...]
    text: str
    span: Span
    chapeau: bool = False
    inherits_from: str | None = None
    supporting: tuple[SupportingRole, ...] = ()
    deadlines: tuple[Deadline, ...] = ()


@dataclass(frozen=True)
class ReportingLine:
    """Who reports to whom, by when or how often."""

    id: str
    clause: str
    paragraph: str
    paragraph_label: str
    reporter: str
    recipient: str
    span: Span
    deadline: Deadline | None = None
    frequency: Deadline | None = None


@dataclass(frozen=True)
class Citation:
    """A cross-reference from a paragraph to a resolution, paragraph or instrument."""

    id: str
    paragraph: str  # citing paragraph eid
    paragraph_label: str
    relation: str
    text: str
    span: Span
    resolution: tuple[int, int] | None = None  # (number, year) of a cited Council resolution
    cited_paragraph: str | None = None  # label in the cited (or this) resolution, e.g. "1(d)"
    instrument_kind: InstrumentKind | None = None
    instrument: str | None = None  # title or symbol of a convention, the Charter, a GA resolution
    provision: str | None = None  # "Article 2", "Chapter VII"
    internal: bool = False
    cited_eid: str | None = None  # for a paragraph of the same resolution: its eid


@dataclass(frozen=True)
class Intervention:
    """A speaker's briefing or statement at a meeting, from a press release."""

    ordinal: int
    name: str
    kind: Literal["briefing", "statement"]
    span: Span
    country: str | None = None  # ISO 3166 alpha-3
    office: str | None = None


@dataclass
class Meeting:
    """A Security Council meeting as a press release reports it."""

    number: int | None
    record: str | None
    date: date | None
    start_time: str | None  # "15:07"
    end_time: str | None
    press_release: str | None
    title: str | None
    interventions: list[Intervention] = field(default_factory=list)


@dataclass(frozen=True)
class MandateRenewal:
    """A decision that renews or extends the mandate of a body, until ``end``."""

    id: str
    clause: str
    actor: str
    span: Span
    end: date | None = None


@dataclass(frozen=True)
class TopicEvidence:
    """One passage that supports a topic tag."""

    paragraph: str  # eid
    paragraph_label: str
    text: str
    span: Span
    weight: int  # 3 in an operative paragraph, 1 in a preambular one


@dataclass(frozen=True)
class TopicTag:
    """A topic (SKOS concept code) the resolution is about, with its evidence."""

    topic: str
    weight: int
    evidence: tuple[TopicEvidence, ...]


@dataclass
class Resolution:
    """A Security Council resolution with its structure and extracted meaning."""

    number: int
    year: int
    adoption: Adoption
    span: Span  # the resolution's own text inside the source
    paragraphs: list[Paragraph] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    reporting_lines: list[ReportingLine] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    establishes: list[str] = field(default_factory=list)  # actor codes of bodies it creates
    topics: list[TopicTag] = field(default_factory=list)
    mandate_renewals: list[MandateRenewal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    complete: bool = True  # False when the source text breaks off before the operative part
    agenda_item: str | None = None  # the UN index's agenda topic

    @property
    def symbol(self) -> str:
        """The UN document symbol, e.g. ``S/RES/2322 (2016)``."""
        return f"S/RES/{self.number} ({self.year})"

    def all_paragraphs(self) -> list[Paragraph]:
        """Every paragraph and sub-paragraph in document order."""
        out: list[Paragraph] = []
        for p in self.paragraphs:
            out.extend(p.walk())
        return out

    def paragraph(self, label: str) -> Paragraph:
        """The paragraph with this label ("PP1", "13", "13(a)")."""
        for p in self.all_paragraphs():
            if p.label == label:
                return p
        raise KeyError(label)


@dataclass
class Document:
    """What ctkg made of one source file."""

    source: SourceInfo
    text: str  # the whole source text; every Span indexes into it
    resolution: Resolution
    meeting: Meeting | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (dates as ISO strings, the source text left out)."""
        data = asdict(self)
        data.pop("text")
        data["resolution"]["symbol"] = self.resolution.symbol
        out: dict[str, Any] = _jsonable(data)
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


__all__ = [
    "Adoption",
    "Citation",
    "Clause",
    "Deadline",
    "Document",
    "Heading",
    "Intervention",
    "MandateRenewal",
    "Meeting",
    "Paragraph",
    "ReportingLine",
    "Resolution",
    "SourceInfo",
    "Span",
    "SupportingRole",
    "TopicEvidence",
    "TopicTag",
    "Vote",
]
