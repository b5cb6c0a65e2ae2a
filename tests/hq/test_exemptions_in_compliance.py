"""A BCU lead records exemptions in the HQ console, over HTTP against a real HQ, and every figure the lead then
reads counts them as the Reports download (and the laptop) does: someone exempt is neither counted nor chased,
someone who completed it another way counts as completed. Once the console said "Recorded" while the chase
list, its CSV and the dashboard went on counting and chasing both people."""

from __future__ import annotations

import csv
import io
import re

import requests

from tests.hq.console_kit import chased, csrf_token, signed_in_http
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.paths import bundled


def _record(http: requests.Session, hq: Hq, number: str, kind: str, reason: str) -> str:
    """Fills in the Exemptions page's form and returns what the page then says."""
    token = csrf_token(http.get(hq.url + "/console/exemptions", timeout=10).text)
    answer = http.post(
        hq.url + "/console/exemptions",
        data={"staff_number": number, "programme": "signa", "kind": kind, "reason": reason, "csrf": token},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    said = re.search(r'<p class="done" role="status">([^<]*)</p>', answer.text)
    assert said is not None, answer.text
    return said.group(1)


def _outstanding_csv(http: requests.Session, hq: Hq) -> list[str]:
    answer = http.get(hq.url + "/console/units/NORTH/outstanding.csv?programme=signa", timeout=10)
    assert answer.status_code == 200
    return sorted(row[0] for row in list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))[1:])


def _figures(hq: Hq, http: requests.Session) -> tuple[str, list[str], str]:
    """What the lead reads: the unit page's sentence and chase list, and the dashboard's headline."""
    unit = http.get(hq.url + "/console/units/NORTH?programme=signa", timeout=10).text
    sentence = re.search(r"(\d+ of the \d+|All \d+) who must complete it", unit)
    dashboard = http.get(hq.url + "/console/?programme=signa", timeout=10).text
    headline = re.search(r'id="trend-summary">\s*<strong>([^<]*)</strong>', dashboard)
    assert sentence is not None and headline is not None
    return sentence.group(1), chased(unit), headline.group(1)


def test_an_exempt_person_is_not_chased_and_one_who_completed_another_way_counts(hq: Hq, force: dict[str, str]) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    lead = signed_in_http(hq, "lead.north")
    # NORTH: 710001 attended; 710002 and 710003 did not, and are chased.
    assert _figures(hq, lead) == ("2 of the 3", ["710002", "710003"], "1 of 3")
    assert _outstanding_csv(lead, hq) == ["710002", "710003"]

    assert (
        _record(lead, hq, "710002", "exempt", "long-term sick leave")
        == "Recorded: Rhys ap Gwilym (710002) exempt from Signa"
    )
    assert (
        _record(lead, hq, "710003", "other-way", "one-to-one session, personally affected")
        == "Recorded: Nguyễn Thị Lan (710003) completed Signa another way"
    )

    audit = signed_in_http(hq, "audit").get(hq.url + "/console/audit?q=710002", timeout=10).text
    assert "710002 exempt for Signa [programme signa]: long-term sick leave" in audit  # found by the number

    sentence, chased_now, headline = _figures(hq, lead)
    assert chased_now == [] and sentence == "All 2"  # the exempt one is not counted; neither is chased
    assert _outstanding_csv(lead, hq) == []
    assert headline == "2 of 2"  # the one who completed it another way counts as completed
    dashboard = lead.get(hq.url + "/console/?programme=signa", timeout=10).text
    by_unit = dashboard.split("completion per unit, each with the units under it</caption>", 1)[1].split("</table>", 1)[
        0
    ]
    figures = r'<td class="number"[^>]*>2</td>\s*<td class="number"[^>]*>2</td>'
    assert re.search(r"NORTH</a></th>\s*" + figures, by_unit), by_unit
    # The table of every programme counts as the headline does, and lists a programme nobody has completed.
    every = dashboard.split("of those who must complete each</caption>", 1)[1].split("</table>", 1)[0]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in every.split("<tr>")[2:]]
    assert "NORTH Signa 2 2 100%" in rows, rows
    assert any(row.startswith("NORTH Upstander 0 ") for row in rows), rows
    unit = lead.get(hq.url + "/console/units/NORTH?programme=signa", timeout=10).text
    per_team = unit.split("completion per team</caption>", 1)[1].split("</table>", 1)[0]
    one_of_one = r'<td class="number"[^>]*>1</td>\s*<td class="number"[^>]*>1</td>'
    assert re.search(r"No team recorded</th>\s*" + one_of_one, per_team)

    # The Reports download, which always counted them so, agrees: no one outstanding in NORTH.
    report = lead.get(
        hq.url + "/console/reports/compliance?programme=signa&unit=NORTH&format=csv", timeout=10
    ).content.decode("utf-8-sig")
    assert "710002" not in report.split("xempt", 1)[0] and "710003" not in report.split("another way", 1)[0]


def test_the_newest_exemption_for_a_person_is_the_one_that_counts(hq: Hq, force: dict[str, str]) -> None:
    """Recording again replaces the earlier record, as on the laptop: exempt, then completed another way."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    lead = signed_in_http(hq, "lead.north")
    _record(lead, hq, "710002", "exempt", "long-term sick leave")
    assert _figures(hq, lead) == ("1 of the 2", ["710003"], "1 of 2")
    _record(lead, hq, "710002", "other-way", "back, and trained one to one")
    assert _figures(hq, lead) == ("1 of the 3", ["710003"], "2 of 3")
    assert _outstanding_csv(lead, hq) == ["710003"]
