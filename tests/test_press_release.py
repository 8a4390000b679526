"""The press release's own facts: meeting times and speakers (checked by hand against SC/12620)."""

from __future__ import annotations

from ctkg.model import Document

SPEAKERS = [
    ("briefing", "Jean-Paul Laborde", None, "Executive Director of the Counter-Terrorism Executive Directorate"),
    ("briefing", "Dorcas Oduor", "KEN", "Deputy Director, Office of the Director of Public Prosecutions, Kenya"),
    ("briefing", "Robert Strang", None,
     "Executive Secretary of the International Institute for Justice and the Rule of Law"),
    ("statement", "Rafael Catalá", "ESP", "Minister of Justice of Spain"),
    ("statement", "Matthew Rycroft", "GBR", None),
    ("statement", "Michele J. Sison", "USA", None),
    ("statement", "Julio Helder Moura Lucas", "AGO", None),
    ("statement", "Elbio Rosselli", "URY", None),
    ("statement", "Amr Abdellatif Aboulatta", "EGY", None),
    ("statement", "Yuriy Vitrenko", "UKR", None),
    ("statement", "Gerard Van Bohemen", "NZL", None),
    ("statement", "Rafael Darío Ramírez Carreño", "VEN", None),
    ("statement", "Wu Haitao", "CHN", None),
    ("statement", "Abdoulaye Barro", "SEN", None),
    ("statement", "Siti Hajjar Adnin", "MYS", None),
    ("statement", "François Delattre", "FRA", None),
    ("statement", "Evgeny T. Zagaynov", "RUS", None),
    ("statement", "Koro Bessho", "JPN", None),
]


def test_meeting_facts(extracted: dict[str, Document]) -> None:
    doc = extracted["2322_2016"]
    m = doc.meeting
    assert m is not None
    assert (m.start_time, m.end_time) == ("15:07", "17:24")
    assert (m.number, m.record, m.press_release) == (7831, "S/PV.7831", "SC/12620")
    assert m.date is not None and m.date.isoformat() == "2016-12-12"
    assert m.title and m.title.startswith("In Fight against Terrorism, Security Council Adopts Resolution 2322")


def test_speakers(extracted: dict[str, Document]) -> None:
    doc = extracted["2322_2016"]
    assert doc.meeting is not None
    got = [(i.kind, i.name, i.country, i.office) for i in doc.meeting.interventions]
    assert got == SPEAKERS
    for i in doc.meeting.interventions:
        assert doc.text[i.span.start : i.span.end].upper().startswith(i.name.split()[0].upper())


def test_resolution_text_starts_after_the_marker(extracted: dict[str, Document]) -> None:
    doc = extracted["2322_2016"]
    marker = doc.text.index("The full text of resolution 2322 (2016) reads as follows:")
    first = doc.resolution.paragraphs[0]
    assert first.span.start > marker
    assert doc.text[first.span.start : first.span.start + 9] == "Recalling"
