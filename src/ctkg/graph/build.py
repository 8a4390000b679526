"""Model to RDF: the only place that maps the data model to ontology terms.

Each document becomes one named graph (``graph_iri``); the canonical actors
go to a shared graph.  Output is deterministic: the same document always gives
the same triples, and :func:`to_nquads` sorts its lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ctkg.extract.actors import Actor, registry
from ctkg.graph import iris
from ctkg.graph.namespaces import CTKG, DCTERMS, ELI, ID, OA, ORG, PROV, RDF, RDFS, SKOS, TIME, XSD
from ctkg.ingest.index import IndexEntry, load_index
from ctkg.model import Citation, Clause, Deadline, Document, Paragraph, Resolution, Span

Triple = tuple[URIRef, URIRef, Node]

_PARA_CLASS = {
    "preambular": CTKG.PreambularParagraph,
    "operative": CTKG.OperativeParagraph,
    "subparagraph": CTKG.SubParagraph,
}
_DEONTIC_CLASS = {"obligation": CTKG.Obligation, "prohibition": CTKG.Prohibition, "permission": CTKG.Permission}
_DEADLINE_CLASS = {
    "relative": CTKG.RelativeDeadline,
    "absolute": CTKG.AbsoluteDeadline,
    "periodic": CTKG.PeriodicSchedule,
}
_INSTRUMENT_CLASS = {
    "convention": CTKG.Convention,
    "protocol": CTKG.Protocol,
    "charter": CTKG.CharterProvision,
    "ga-resolution": CTKG.GeneralAssemblyResolution,
}
_ACTOR_CLASS = {
    "UNOrgan": CTKG.UNOrgan,
    "UNEntity": CTKG.UNEntity,
    "Committee": CTKG.Committee,
    "ExternalOrganization": CTKG.ExternalOrganization,
    "Government": CTKG.Government,
    "ActorGroup": CTKG.ActorGroup,
}


_CONTROL = {c: " " for c in (*range(0, 9), 11, 12, *range(14, 32), 127)}
"""Control characters (form feeds of page breaks) become spaces in quoted text; offsets stay valid."""


_INTEGER = XSD.integer


def _int(n: int) -> Literal:
    return Literal(n, datatype=_INTEGER)


def _bool(b: bool) -> Literal:
    return Literal(b, datatype=XSD.boolean)


def _str(s: str) -> Literal:
    return Literal(s)


@dataclass
class Triples:
    """An ordered, duplicate-free collection of triples."""

    items: dict[Triple, None] = field(default_factory=dict)

    def add(self, s: URIRef, p: URIRef, o: Node | None) -> None:
        if o is not None:
            self.items[(s, p, o)] = None

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def graph(self) -> Graph:
        g = Graph()
        for t in self.items:
            g.add(t)
        return g


def paragraph_eid(label: str) -> str:
    """The Akoma Ntoso id of a cited paragraph label: "1(d)" -> "para_1__subpara_d"."""
    head, *subs = label.replace(")", "").split("(")
    eid = f"para_{head}"
    for s in subs:
        eid += f"__subpara_{s}"
    return eid


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.res: Resolution = doc.resolution
        self.t = Triples()
        self.n, self.y = self.res.number, self.res.year
        self.r = iris.resolution_iri(self.n, self.y)
        self.src = iris.source_iri(doc.source.sha256)
        self.clause_iris: dict[str, URIRef] = {}
        self.deadline_iris: dict[tuple[str, int], URIRef] = {}

    def span(self, subject: URIRef, span: Span) -> None:
        node = iris.sub_iri(subject, "span")
        t = self.t
        t.add(subject, CTKG.sourceSpan, node)
        t.add(node, RDF.type, OA.TextPositionSelector)
        t.add(node, RDF.type, OA.TextQuoteSelector)
        # xsd:integer: stores such as Oxigraph normalise xsd:nonNegativeInteger to it anyway
        t.add(node, OA.start, _int(span.start))
        t.add(node, OA.end, _int(span.end))
        t.add(node, OA.exact, _str(span.slice(self.doc.text).translate(_CONTROL)))
        t.add(node, CTKG.inSource, self.src)

    def build(self) -> Triples:
        self.source()
        self.resolution()
        for i, h in enumerate(self.res.headings, start=1):
            h_iri = iris.item_iri(self.n, self.y, f"heading_{i}")
            self.t.add(h_iri, RDF.type, CTKG.Heading)
            self.t.add(h_iri, CTKG.text, _str(h.text))
            self.t.add(h_iri, CTKG.ordinal, _int(h.ordinal))
            self.t.add(h_iri, CTKG.headingKind, _str(h.kind))
            self.t.add(h_iri, CTKG.inResolution, self.r)
            self.span(h_iri, h.span)
        for p in self.res.paragraphs:
            self.paragraph(p, self.r)
        for c in self.res.clauses:
            self.clause(c)
        for rl in self.res.reporting_lines:
            self.reporting_line(rl)
        for cit in self.res.citations:
            self.citation(cit)
        for mr in self.res.mandate_renewals:
            mi = iris.item_iri(self.n, self.y, mr.id)
            self.t.add(mi, RDF.type, CTKG.MandateRenewal)
            self.t.add(mi, CTKG.renewsMandateOf, iris.actor_iri(mr.actor))
            self.t.add(mi, CTKG.decidedBy, self.clause_iris[mr.clause])
            self.t.add(mi, CTKG.inResolution, self.r)
            if mr.end:
                self.t.add(mi, CTKG.mandateEnd, Literal(mr.end.isoformat(), datatype=XSD.date))
            self.span(mi, mr.span)
        self.topics()
        for code in self.res.establishes:
            self.t.add(self.r, CTKG.establishes, iris.actor_iri(code))
            self.t.add(iris.actor_iri(code), CTKG.establishedBy, self.r)
        if self.doc.meeting is not None:
            self.meeting()
        self.local_actors()
        return self.t

    def local_actors(self) -> None:
        """Describe actors this graph uses that the shared registry lacks (committees by number)."""
        reg = registry()
        prefix = str(ID) + "actor/"
        used = {str(o)[len(prefix) :] for _, _, o in self.t if str(o).startswith(prefix)}
        for code in sorted(used - set(reg.actors)):
            if code.startswith("COMMITTEE_") and code[10:].isdigit():
                entry = load_index().get(int(code[10:]))
                add_actor(self.t, reg.committee_for(int(code[10:]), entry.year if entry else self.y))

    def topics(self) -> None:
        t = self.t
        for tag in self.res.topics:
            t.add(self.r, DCTERMS.subject, iris.topic_iri(tag.topic))
            for k, ev in enumerate(tag.evidence, start=1):
                ei = iris.item_iri(self.n, self.y, f"topic_{tag.topic}_{k}")
                t.add(self.r, CTKG.hasTopicEvidence, ei)
                t.add(ei, RDF.type, CTKG.TopicEvidence)
                t.add(ei, CTKG.topic, iris.topic_iri(tag.topic))
                t.add(ei, CTKG.inParagraph, iris.paragraph_iri(self.n, self.y, ev.paragraph))
                t.add(ei, CTKG.weight, _int(ev.weight))
                self.span(ei, ev.span)

    def source(self) -> None:
        info = self.doc.source
        t = self.t
        t.add(self.src, RDF.type, CTKG.SourceDocument)
        t.add(self.src, CTKG.sha256, _str(info.sha256))
        t.add(self.src, CTKG.fileName, _str(PurePath(info.path).name))
        t.add(self.src, CTKG.characterCount, _int(info.chars))

    def resolution(self) -> None:
        t, r, res = self.t, self.r, self.res
        a = res.adoption
        t.add(r, RDF.type, CTKG.Resolution)
        t.add(r, RDFS.label, Literal(res.symbol, lang="en"))
        t.add(r, DCTERMS.identifier, _str(res.symbol))
        t.add(r, CTKG.number, _int(res.number))
        t.add(r, CTKG.year, _int(res.year))
        t.add(r, CTKG.textAvailable, _bool(True))
        t.add(r, CTKG.textComplete, _bool(res.complete))
        if res.agenda_item:
            t.add(r, CTKG.agendaItem, _str(res.agenda_item))
        t.add(r, ELI.passed_by, iris.actor_iri("SECURITY_COUNCIL"))
        t.add(r, CTKG.underChapterVII, _bool(a.chapter_vii))
        t.add(r, CTKG.adoptionFactsSource, _str(a.source))
        t.add(r, CTKG.hasSource, self.src)
        t.add(r, PROV.wasDerivedFrom, self.src)
        v = a.vote
        adoption_triples(
            t, r, a.date, a.meeting, a.press_release,
            (v.in_favour, v.against, v.abstentions, v.unanimous) if v else None,
            meeting_date=a.meeting_date,
        )
        for code in v.abstaining if v else ():
            t.add(r, CTKG.abstainingState, iris.actor_iri(code))

    def paragraph(self, p: Paragraph, parent: URIRef) -> None:
        t = self.t
        pi = iris.paragraph_iri(self.n, self.y, p.eid)
        t.add(pi, RDF.type, _PARA_CLASS[p.kind])
        t.add(pi, RDF.type, CTKG.Paragraph)
        t.add(pi, CTKG.eId, _str(p.eid))
        t.add(pi, CTKG.label, _str(p.label))
        if p.number:
            t.add(pi, CTKG.paragraphNumber, _str(p.number))
        t.add(pi, CTKG.ordinal, _int(p.ordinal))
        if p.opening:
            t.add(pi, CTKG.openingPhrase, _str(p.opening))
        t.add(pi, CTKG.text, _str(p.text))
        t.add(pi, CTKG.inResolution, self.r)
        t.add(pi, ELI.is_part_of, parent)
        if parent == self.r:
            t.add(self.r, CTKG.hasParagraph, pi)
        else:
            t.add(parent, CTKG.hasSubParagraph, pi)
        if p.heading:
            # the nearest heading with that text above the paragraph
            above = [i for i, h in enumerate(self.res.headings, start=1)
                     if h.text == p.heading and h.span.start <= p.span.start]
            if above:
                t.add(pi, CTKG.underHeading, iris.item_iri(self.n, self.y, f"heading_{above[-1]}"))
        self.span(pi, p.span)
        for child in p.children:
            self.paragraph(child, pi)

    def deadline(self, owner: URIRef, k: int, d: Deadline) -> URIRef:
        di = iris.sub_iri(owner, f"deadline_{k}")
        t = self.t
        t.add(di, RDF.type, CTKG.Deadline)
        t.add(di, RDF.type, _DEADLINE_CLASS[d.kind])
        t.add(di, CTKG.text, _str(d.text))
        if d.duration:
            t.add(di, TIME.hasXSDDuration, Literal(d.duration, datatype=XSD.duration))
        if d.due_date:
            t.add(di, CTKG.dueDate, Literal(d.due_date.isoformat(), datatype=XSD.date))
        if d.anchor:
            t.add(di, CTKG.anchor, _str(d.anchor))
        self.span(di, d.span)
        return di

    def clause(self, c: Clause) -> None:
        t = self.t
        ci = iris.item_iri(self.n, self.y, c.id)
        self.clause_iris[c.id] = ci
        pi = iris.paragraph_iri(self.n, self.y, c.paragraph)
        t.add(ci, RDF.type, CTKG.Clause)
        if c.directive:
            t.add(ci, RDF.type, CTKG.Directive)
            t.add(ci, RDF.type, _DEONTIC_CLASS[c.kind or "obligation"])
        else:
            t.add(ci, RDF.type, CTKG.DeclaratoryClause)
        t.add(ci, CTKG.inParagraph, pi)
        t.add(pi, CTKG.hasClause, ci)
        t.add(ci, CTKG.inResolution, self.r)
        t.add(ci, CTKG.ordinal, _int(c.ordinal))
        t.add(ci, CTKG.verb, _str(c.verb))
        t.add(ci, CTKG.modality, iris.modality_iri(c.modality))
        t.add(ci, CTKG.binding, _bool(c.binding))
        t.add(ci, CTKG.isChapeau, _bool(c.chapeau))
        t.add(ci, CTKG.text, _str(c.text))
        t.add(ci, PROV.wasDerivedFrom, pi)
        for code in c.addressees:
            t.add(ci, CTKG.addressee, iris.actor_iri(code))
        if c.inherits_from:
            t.add(ci, CTKG.inheritsFrom, iris.item_iri(self.n, self.y, c.inherits_from))
        for k, role in enumerate(c.supporting, start=1):
            ri = iris.sub_iri(ci, f"role_{k}")
            t.add(ci, CTKG.hasSupportingRole, ri)
            t.add(ri, RDF.type, CTKG.SupportingRole)
            t.add(ri, CTKG.roleKind, iris.role_iri(role.role))
            t.add(ri, CTKG.actor, iris.actor_iri(role.actor))
            self.span(ri, role.span)
        for k, d in enumerate(c.deadlines, start=1):
            di = self.deadline(ci, k, d)
            self.deadline_iris[(c.id, k)] = di
            t.add(ci, CTKG.hasDeadline, di)
        self.span(ci, c.span)

    def reporting_line(self, rl: object) -> None:
        from ctkg.model import ReportingLine

        assert isinstance(rl, ReportingLine)
        t = self.t
        li = iris.item_iri(self.n, self.y, rl.id)
        ci = self.clause_iris[rl.clause]
        t.add(li, RDF.type, CTKG.ReportingLine)
        t.add(li, CTKG.reporter, iris.actor_iri(rl.reporter))
        t.add(li, CTKG.reportRecipient, iris.actor_iri(rl.recipient))
        t.add(li, CTKG.inParagraph, iris.paragraph_iri(self.n, self.y, rl.paragraph))
        t.add(li, CTKG.inResolution, self.r)
        t.add(li, PROV.wasDerivedFrom, ci)
        t.add(ci, CTKG.hasReportingLine, li)
        clause = next(c for c in self.res.clauses if c.id == rl.clause)
        for k, d in enumerate(clause.deadlines, start=1):
            if d in (rl.deadline, rl.frequency):
                t.add(li, CTKG.hasDeadline, self.deadline_iris[(clause.id, k)])
        self.span(li, rl.span)

    def citation(self, c: Citation) -> None:
        t = self.t
        xi = iris.item_iri(self.n, self.y, c.id)
        pi = iris.paragraph_iri(self.n, self.y, c.paragraph)
        t.add(xi, RDF.type, CTKG.Citation)
        t.add(xi, CTKG.citingParagraph, pi)
        t.add(pi, CTKG.hasCitation, xi)
        t.add(xi, CTKG.inResolution, self.r)
        t.add(xi, CTKG.relation, iris.relation_iri(c.relation))
        t.add(xi, CTKG.text, _str(c.text))
        target: URIRef | None = None
        if c.resolution:
            n, y = c.resolution
            ri = iris.resolution_iri(n, y)
            t.add(xi, CTKG.citedResolution, ri)
            if not c.internal:
                t.add(ri, RDF.type, CTKG.Resolution)
                t.add(ri, DCTERMS.identifier, _str(f"S/RES/{n} ({y})"))
                t.add(ri, RDFS.label, Literal(f"S/RES/{n} ({y})", lang="en"))
                t.add(ri, CTKG.number, _int(n))
                t.add(ri, CTKG.year, _int(y))
            target = ri
            if c.cited_paragraph:
                cp = iris.paragraph_iri(n, y, c.cited_eid or paragraph_eid(c.cited_paragraph))
                t.add(xi, CTKG.citedParagraph, cp)
                t.add(xi, CTKG.citedParagraphLabel, _str(c.cited_paragraph))
                target = cp
        if c.instrument_kind and c.instrument:
            ii = iris.instrument_iri(c.instrument_kind, c.instrument, c.provision)
            t.add(xi, CTKG.citedInstrument, ii)
            t.add(ii, RDF.type, _INSTRUMENT_CLASS[c.instrument_kind])
            t.add(ii, RDF.type, CTKG.LegalInstrument)
            title = c.instrument
            if c.instrument_kind == "charter" and c.provision:
                title = f"{c.instrument}, {c.provision}"
                t.add(ii, CTKG.citedProvision, _str(c.provision))
            if c.instrument_kind == "ga-resolution":
                t.add(ii, DCTERMS.identifier, _str(c.instrument))
            t.add(ii, DCTERMS.title, _str(title))
            t.add(ii, RDFS.label, Literal(title, lang="en"))
            target = ii
        if c.provision:
            t.add(xi, CTKG.citedProvision, _str(c.provision))
        if target is not None:
            t.add(pi, ELI.cites, target)
        self.span(xi, c.span)

    def meeting(self) -> None:
        m = self.doc.meeting
        assert m is not None
        t = self.t
        pr = iris.press_release_iri(m.press_release, self.doc.source.sha256)
        t.add(pr, RDF.type, CTKG.PressRelease)
        if m.press_release:
            t.add(pr, DCTERMS.identifier, _str(m.press_release))
        if m.title:
            t.add(pr, DCTERMS.title, _str(m.title))
        t.add(pr, CTKG.quotes, self.r)
        t.add(pr, CTKG.hasSource, self.src)
        if m.number is None:
            return
        mi = iris.meeting_iri(m.number)
        t.add(pr, CTKG.covers, mi)
        if m.start_time:
            t.add(mi, CTKG.startTime, Literal(m.start_time + ":00", datatype=XSD.time))
        if m.end_time:
            t.add(mi, CTKG.endTime, Literal(m.end_time + ":00", datatype=XSD.time))
        for iv in m.interventions:
            ii = iris.sub_iri(mi, f"intervention_{iv.ordinal}")
            t.add(mi, CTKG.hasIntervention, ii)
            t.add(ii, RDF.type, CTKG.Intervention)
            t.add(ii, CTKG.ordinal, _int(iv.ordinal))
            t.add(ii, CTKG.speakerName, _str(iv.name))
            t.add(ii, CTKG.interventionKind, _str(iv.kind))
            if iv.country:
                t.add(ii, CTKG.represents, iris.actor_iri(iv.country))
            if iv.office:
                t.add(ii, CTKG.speakerOffice, _str(iv.office))
            self.span(ii, iv.span)


def document_triples(doc: Document) -> Triples:
    """All triples extracted from one document (its named graph)."""
    return _Builder(doc).build()


def add_actor(t: Triples, actor: Actor) -> None:
    """The canonical description of one actor."""
    a = iris.actor_iri(actor.code)
    t.add(a, RDF.type, CTKG.Actor)
    t.add(a, RDF.type, _ACTOR_CLASS[actor.kind])
    t.add(a, SKOS.notation, _str(actor.code))
    t.add(a, SKOS.prefLabel, Literal(actor.label, lang="en"))
    t.add(a, RDFS.label, Literal(actor.label, lang="en"))
    for alias in actor.aliases:
        if alias != actor.label:
            t.add(a, SKOS.altLabel, Literal(alias, lang="en"))
    if actor.parent:
        t.add(a, ORG.subOrganizationOf, iris.actor_iri(actor.parent))
    if actor.established_by:
        # the establishing resolution is identified by number; its year comes from the index
        entry = load_index().get(actor.established_by)
        if entry:
            t.add(a, CTKG.establishedBy, iris.resolution_iri(entry.number, entry.year))
    if actor.iso3:
        t.add(a, CTKG.iso3166Alpha3, _str(actor.iso3))
    if actor.wikidata:
        t.add(a, SKOS.exactMatch, URIRef(f"http://www.wikidata.org/entity/{actor.wikidata}"))


def actor_triples(actors: Iterable[Actor] | None = None) -> Triples:
    """The shared actors graph: every canonical actor of the registry."""
    t = Triples()
    for actor in sorted(actors if actors is not None else registry().actors.values(), key=lambda a: a.code):
        add_actor(t, actor)
    return t


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def adoption_triples(
    t: Triples,
    r: URIRef,
    adopted: date | None,
    meeting: int | None,
    press_release: str | None,
    vote: tuple[int | None, int | None, int | None, bool] | None,
    *,
    meeting_date: date | None = None,
) -> None:
    """Adoption facts of a resolution: date, meeting (with its record and press release), vote.

    The meeting's date is ``meeting_date`` when known (the date of the record that gave the
    meeting number), else the adoption date.
    """
    if adopted:
        t.add(r, ELI.date_document, Literal(adopted.isoformat(), datatype=XSD.date))
    if meeting:
        m = iris.meeting_iri(meeting)
        t.add(r, CTKG.adoptedAt, m)
        t.add(m, RDF.type, CTKG.Meeting)
        t.add(m, CTKG.meetingNumber, _int(meeting))
        t.add(m, DCTERMS.identifier, _str(f"S/PV.{meeting}"))
        held = meeting_date or adopted
        if held:
            t.add(m, DCTERMS.date, Literal(held.isoformat(), datatype=XSD.date))
        if press_release:
            pr = iris.press_release_iri(press_release, "")
            t.add(pr, RDF.type, CTKG.PressRelease)
            t.add(pr, DCTERMS.identifier, _str(press_release))
            t.add(pr, CTKG.covers, m)
    if vote:
        in_favour, against, abstentions, unanimous = vote
        for prop, value in ((CTKG.votesInFavour, in_favour), (CTKG.votesAgainst, against),
                            (CTKG.abstentions, abstentions)):
            if value is not None:
                t.add(r, prop, _int(value))
        t.add(r, CTKG.adoptedUnanimously, _bool(unanimous))


def index_triples(entries: Iterable[IndexEntry]) -> Triples:
    """Resolutions known from the UN library index only (no text built): their adoption facts."""
    t = Triples()
    for e in sorted(entries, key=lambda x: x.number):
        r = iris.resolution_iri(e.number, e.year)
        t.add(r, RDF.type, CTKG.Resolution)
        t.add(r, RDFS.label, Literal(e.symbol, lang="en"))
        t.add(r, DCTERMS.identifier, _str(e.symbol))
        t.add(r, CTKG.number, _int(e.number))
        t.add(r, CTKG.year, _int(e.year))
        t.add(r, CTKG.textAvailable, _bool(False))
        t.add(r, ELI.passed_by, iris.actor_iri("SECURITY_COUNCIL"))
        t.add(r, CTKG.adoptionFactsSource, _str("index"))
        if e.topic:
            t.add(r, CTKG.agendaItem, _str(e.topic))
        vote = (e.vote[0], e.vote[1], e.vote[2], e.vote[1] == 0 and e.vote[2] == 0) if e.vote else None
        adoption_triples(t, r, e.date, e.meeting, e.press_release, vote)
    return t


def _nt(node: Node) -> str:
    """One term in N-Triples syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        body = '"' + str(node).translate(_ESCAPES) + '"'
        if node.language:
            return f"{body}@{node.language}"
        if node.datatype and node.datatype != XSD.string:
            return f"{body}^^<{node.datatype}>"
        return body
    raise ValueError(f"unsupported term {node!r}")  # pragma: no cover - the builder mints no blank nodes


def to_nquads(triples: Iterable[Triple], graph: URIRef | None) -> str:
    """Sorted N-Quads (or N-Triples when ``graph`` is None): a canonical text form."""
    g = f" <{graph}>" if graph is not None else ""
    lines = sorted(f"{_nt(s)} {_nt(p)} {_nt(o)}{g} .\n" for s, p, o in triples)
    return "".join(lines)


__all__ = [
    "Triples",
    "actor_triples",
    "add_actor",
    "document_triples",
    "index_triples",
    "paragraph_eid",
    "to_nquads",
]
