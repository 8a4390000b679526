"""Extraction: from a located source text to a :class:`ctkg.model.Document`.

Pure functions, no I/O beyond the bundled registries.  The steps:

1. cut the text into paragraph units (:mod:`ctkg.ingest.layout`);
2. build the paragraph tree (:mod:`ctkg.extract.structure`);
3. read adoption facts (:mod:`ctkg.extract.adoption`), the UN index filling gaps;
4. per paragraph: clauses with modality and addressees, supporting roles,
   deadlines, reporting lines and cross-references.
"""

from __future__ import annotations

import re

from ctkg.errors import NoResolutionError, TruncatedResolutionError
from ctkg.extract import adoption as adoption_mod
from ctkg.extract.actors import registry
from ctkg.extract.clauses import (
    DIRECTIVE_MODALITIES,
    ESTABLISH,
    ActorContext,
    addressees,
    deontic_kind,
    is_binding,
    split_clauses,
    supporting_roles,
)
from ctkg.extract.deadlines import find_deadlines
from ctkg.extract.mandates import find_renewals
from ctkg.extract.pressrelease import parse_meeting
from ctkg.extract.references import find_references
from ctkg.extract.reporting import find_recipients
from ctkg.extract.structure import build_skeleton
from ctkg.extract.topics import tag_topics
from ctkg.ingest.index import IndexEntry, load_index
from ctkg.ingest.layout import split_units
from ctkg.ingest.readers import Source
from ctkg.ingest.text import NormText
from ctkg.model import (
    Citation,
    Clause,
    Deadline,
    Document,
    MandateRenewal,
    Paragraph,
    ReportingLine,
    Resolution,
    Span,
)


def extract_document(source: Source, *, use_index: bool = True, allow_partial: bool = False) -> Document:
    """Extract the resolution (and, for a press release, the meeting) from ``source``.

    A text that breaks off before its operative part raises
    :class:`TruncatedResolutionError`, unless ``allow_partial`` (used for the
    bundled corpus, where one source text is known to be cut short): then the
    preamble is kept, ``Resolution.complete`` is False and a warning says why.
    """
    path = source.info.path
    text = source.text
    units = split_units(text, source.start, source.end)
    footnotes = source.info.kind == "resolution"
    sk = build_skeleton(text, units, footnotes=footnotes, quoted_layout=source.info.kind == "press-release")
    if not sk.paragraphs:
        raise NoResolutionError("no resolution paragraphs found in the text", path=path)
    if source.number is None or source.year is None:
        raise NoResolutionError("cannot tell which resolution this is (no number and year)", path=path)
    complete = any(p.kind == "operative" for p in sk.paragraphs)
    if not complete and not allow_partial:
        last = sk.paragraphs[-1]
        line = text.count("\n", 0, last.span.start) + 1
        raise TruncatedResolutionError(
            "the resolution has no operative paragraph (the text breaks off in the preamble)",
            path=path, line=line,
        )
    number, year = source.number, source.year
    facts = adoption_mod.AdoptionFacts()
    adoption_mod.parse_header([h.text for h in sk.header], facts)
    entry: IndexEntry | None = load_index().get(number) if use_index else None
    if entry and entry.year != year:
        if facts.date is not None and facts.date.year == entry.year:
            # "Resolution 434 (1973)" over "of 18 September 1978": a misprinted year, which the
            # text's own date and the UN index agree on
            facts.warnings.append(f"the title's year {year} is a misprint: the text is dated {facts.date.isoformat()} "
                                  f"and the UN index gives S/RES/{number} ({entry.year})")
            year = entry.year
        else:
            entry = None
    for adoption_line in sk.adoption_lines:
        adoption_mod.parse_adoption_line(adoption_line.text, facts)
    if source.info.kind == "press-release":
        adoption_mod.parse_adoption_line(_press_summary(text[: source.start]), facts)
    body_text = " ".join(sk.texts[p.eid].text for p in sk.paragraphs)
    chapter_vii = adoption_mod.under_chapter_vii(body_text)
    adopted = adoption_mod.merge(facts, entry, year, chapter_vii)
    res_span = Span(units[0].start, units[-1].end) if units else Span(source.start, source.end)
    res = Resolution(number=number, year=year, adoption=adopted, span=res_span, paragraphs=sk.paragraphs,
                     headings=sk.headings)
    res.complete = complete
    res.agenda_item = entry.topic if entry else None
    if not complete:
        res.warnings.append("the source text has no operative paragraph (it breaks off in the preamble)")
    res.warnings.extend(sk.warnings + facts.warnings)
    if sk.footnotes_removed:
        res.warnings.append(f"{sk.footnotes_removed} inline footnote marker(s) removed")
    _extract_meaning(res, sk.texts)
    res.topics = tag_topics(res.paragraphs, sk.texts)
    meeting = None
    if source.info.kind == "press-release":
        meeting = parse_meeting(text, 0, source.start)
        meeting.number = adopted.meeting
        meeting.record = adopted.meeting_record
        meeting.date = adopted.date
        meeting.press_release = adopted.press_release
    return Document(source=source.info, text=text, resolution=res, meeting=meeting)


def _press_summary(prefix: str) -> str:
    """The press release's own sentence on the vote ("unanimously adopted")."""
    m = re.search(r"[^.\n]*\bunanimously adopted\b[^.\n]*|[^.\n]*\badopted unanimously\b[^.\n]*", prefix)
    return m.group(0) if m else ""


def _extract_meaning(res: Resolution, texts: dict[str, NormText]) -> None:
    ctx = ActorContext(registry(), res.number, res.year)
    adopted = res.adoption.date
    for para in res.paragraphs:
        if para.kind == "operative" and ESTABLISH.search(texts[para.eid].text):
            committee = ctx.registry.committee_for(res.number, res.year)
            ctx.committee = committee.code
            ctx.extra[committee.code] = committee.label
            if committee.code not in res.establishes:
                res.establishes.append(committee.code)
    by_label = {q.label: q for q in res.all_paragraphs()}
    for para in res.paragraphs:
        for p in para.walk():
            nt = texts[p.eid]
            clause_starts = [0]
            if p.kind != "preambular":
                clause_starts = _clauses_of(res, p, nt, ctx, adopted, texts)
            _citations(res, p, nt, clause_starts, by_label)
    for code, label in ctx.extra.items():
        if code not in ctx.registry.actors:
            res.warnings.append(f"actor {code} ({label}) is defined by this resolution")
    res.establishes.extend(c for c in ctx.extra if c not in res.establishes and c.startswith("COMMITTEE_")
                           and c == f"COMMITTEE_{res.number}")


def _chapeau_clause(res: Resolution, p: Paragraph) -> Clause | None:
    """The last clause of the paragraph's parent (its chapeau), found from the end: clauses are in order."""
    if p.parent is None:
        return None
    for c in reversed(res.clauses):
        if c.paragraph == p.parent:
            return c
        if not c.paragraph.startswith(p.parent):
            break
    return None


def _clauses_of(
    res: Resolution, p: Paragraph, nt: NormText, ctx: ActorContext, adopted: object,
    texts: dict[str, NormText],
) -> list[int]:
    s = nt.text
    pieces = split_clauses(s)
    chapeau = _chapeau_clause(res, p) if p.kind == "subparagraph" else None
    inherited_first = chapeau is not None and (not pieces or pieces[0][0] != 0)
    starts = [0] if inherited_first else []
    starts += [start for start, *_ in pieces]
    if not starts:
        return [0]
    bounds = starts + [len(s)]
    ordinal = 0
    for i, start in enumerate(starts):
        end = bounds[i + 1]
        seg = s[start:end].rstrip(" ,;:")
        seg = re.sub(r"(?:,?\s+and|,)$", "", seg).rstrip(" ,;")
        seg_end = start + len(seg)
        span = nt.source_span(start, seg_end)
        ordinal += 1
        cid = f"{p.eid}__clause_{ordinal}"

        def span_of(a: int, b: int, _start: int = start) -> Span:
            return nt.source_span(_start + a, _start + b)

        roles, covered = supporting_roles(seg, ctx, span_of)
        deadlines = tuple(
            Deadline(d.kind, d.text, d.span, d.duration, d.due_date, d.anchor)
            for d in find_deadlines(nt.sub(start, seg_end), adopted)  # type: ignore[arg-type]
        )
        if inherited_first and i == 0 and chapeau is not None:
            addr = chapeau.addressees
            parent_text = texts[p.parent].text if p.parent else ""
            if (
                ctx.committee
                and ESTABLISH.search(parent_text)
                and (re.search(r"following\s+(?:tasks|mandate|functions)", chapeau.text) or re.match(r"To\s", seg))
            ):
                addr = (ctx.committee,)
            clause = Clause(
                id=cid, paragraph=p.eid, paragraph_label=p.label, ordinal=ordinal, verb=chapeau.verb,
                modality=chapeau.modality, binding=chapeau.binding, directive=chapeau.directive,
                kind=deontic_kind(seg, chapeau.modality) if chapeau.directive else None,
                addressees=addr, text=seg, span=span, inherits_from=chapeau.id,
                supporting=tuple(chapeau.supporting) + tuple(roles), deadlines=deadlines,
            )
        else:
            _, modality, verb, verb_end = pieces[i - (1 if inherited_first else 0)]
            directive = modality in DIRECTIVE_MODALITIES
            addr = addressees(seg, verb_end - start, modality, ctx, covered) if directive else ()
            if directive and not addr:
                addr = ("UNSPECIFIED",)
                res.warnings.append(f"paragraph {p.label}: no addressee found for '{verb}'")
            clause = Clause(
                id=cid, paragraph=p.eid, paragraph_label=p.label, ordinal=ordinal, verb=verb,
                modality=modality, binding=is_binding(modality, res.adoption.chapter_vii, seg),
                directive=directive,
                kind=deontic_kind(seg, modality) if directive else None,
                addressees=addr, text=seg, span=span, supporting=tuple(roles), deadlines=deadlines,
                chapeau=bool(p.children) and i == len(starts) - 1 and directive,
            )
        res.clauses.append(clause)
        if clause.directive:
            _reporting(res, clause, seg, ctx, p)
        if clause.modality in ("decides", "declaratory") or clause.verb in ("extends", "renews"):
            for k, r in enumerate(find_renewals(seg, ctx, res.adoption.date), start=1):
                res.mandate_renewals.append(
                    MandateRenewal(f"{cid}__mandate_{k}", cid, r.actor, span_of(r.start, r.stop), r.end)
                )
    return starts


def _reporting(res: Resolution, clause: Clause, seg: str, ctx: ActorContext, p: Paragraph) -> None:
    recipients = find_recipients(seg, ctx)
    if not recipients:
        return
    reporters = list(clause.addressees)
    if reporters == ["SECURITY_COUNCIL"] and ctx.committee and ESTABLISH.search(seg):
        reporters = [ctx.committee]
    deadline = next((d for d in clause.deadlines if d.kind != "periodic"), None)
    frequency = next((d for d in clause.deadlines if d.kind == "periodic"), None)
    n = 0
    for recipient, _pos in recipients:
        for reporter in reporters:
            if reporter == recipient or reporter == "UNSPECIFIED":
                continue
            n += 1
            res.reporting_lines.append(
                ReportingLine(
                    id=f"{clause.id}__report_{n}", clause=clause.id, paragraph=p.eid,
                    paragraph_label=p.label, reporter=reporter, recipient=recipient, span=clause.span,
                    deadline=deadline, frequency=frequency,
                )
            )


def _resolve_label(by_label: dict[str, Paragraph], p: Paragraph, label: str) -> Paragraph | None:
    """The paragraph of this resolution that "paragraph N above/below" means, in the citing part."""
    tag = p.label.rsplit(" ", 1)[0] + " " if " " in p.label else ""
    if tag and not label.startswith(tag) and f"{tag}{label}" in by_label:
        return by_label[f"{tag}{label}"]
    return by_label.get(label)


def _citations(
    res: Resolution, p: Paragraph, nt: NormText, clause_starts: list[int], by_label: dict[str, Paragraph]
) -> None:
    own_label = p.label if p.kind != "preambular" else None
    for k, ref in enumerate(find_references(nt, clause_starts, own_label), start=1):
        base = {
            "paragraph": p.eid, "paragraph_label": p.label, "relation": ref.relation,
            "text": ref.text, "span": ref.span,
        }
        if ref.internal_labels:
            for j, label in enumerate(ref.internal_labels, start=1):
                target = _resolve_label(by_label, p, label)
                res.citations.append(
                    Citation(id=f"{p.eid}__ref_{k}_{j}", resolution=(res.number, res.year),
                             cited_paragraph=target.label if target else label, internal=True,
                             cited_eid=target.eid if target else None, **base)  # type: ignore[arg-type]
                )
            continue
        res.citations.append(
            Citation(
                id=f"{p.eid}__ref_{k}", resolution=ref.resolution, cited_paragraph=ref.cited_paragraph,
                instrument_kind=ref.instrument_kind, instrument=ref.instrument,  # type: ignore[arg-type]
                provision=ref.provision, **base,  # type: ignore[arg-type]
            )
        )


__all__ = ["extract_document"]
