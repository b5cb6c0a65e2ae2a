"""The compliance report lists the excused apart with the reason, as the Exemptions page promises: printed by
HQ's console for exemptions recorded there, and by a lead's laptop for those it recorded. It said only
"exempt", and a lead reading it could not tell why someone was not chased."""

from __future__ import annotations

from pathlib import Path

from tests.export.test_reports import pdf_pages
from tests.hq.console_kit import csrf_token, signed_in_http
from tests.hq_server import Hq
from tests.store.test_sessions import NOW
from trainer_desk.__main__ import main
from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import content as hq_content
from trainer_desk.paths import bundled
from trainer_desk.store import exemptions, roster
from trainer_desk.workspace import Workspace

REASON = "on long-term secondment <to the NCA> & back in 2028"  # markup-like text prints as typed


def flat(path: Path) -> str:
    return " ".join(" ".join(pdf_pages(path)).split())


def test_hqs_compliance_pdf_gives_the_reason_someone_is_exempt(hq: Hq, force: dict[str, str], tmp_path: Path) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    http = signed_in_http(hq, "lead.north")
    token = csrf_token(http.get(hq.url + "/console/exemptions", timeout=10).text)
    recorded = http.post(
        hq.url + "/console/exemptions",
        data={"staff_number": "710003", "programme": "signa", "kind": "exempt", "reason": REASON, "csrf": token},
        timeout=10,
    )
    assert recorded.status_code == 200
    report = http.get(
        hq.url + "/console/reports/compliance",
        params={"programme": "signa", "start": "2026-01-01", "end": "2026-12-31"},
        timeout=30,
    )
    assert report.status_code == 200
    pdf = tmp_path / "compliance.pdf"
    pdf.write_bytes(report.content)
    printed = flat(pdf)
    assert "Exempt or completed another way (1)" in printed
    assert f"710003 Nguyễn Thị Lan NORTH exempt: {REASON}" in printed


def test_a_laptops_compliance_pdf_gives_the_reason_it_recorded(workspace: Workspace, tmp_path: Path) -> None:
    roster.upsert_people(
        workspace.db,
        [
            Person("710001", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER),
            Person("710002", "Rhys", "ap Gwilym", "NORTH", PersonRole.STAFF),
        ],
    )
    exemptions.record(workspace.db, "710001", "signa", ExemptionKind.OTHER_WAY, REASON, "100800", NOW)
    data = ["--data-dir", str(workspace.paths.data_dir)]
    workspace.close()
    pdf = tmp_path / "laptop.pdf"
    args = ["export", "compliance", "--programme", "signa", "--from", "2026-01-01", "--to", "2026-12-31"]
    assert main([*data, *args, "-o", str(pdf)]) == 0
    assert f"Aleksandra Wiśniewska North completed another way: {REASON}" in flat(pdf)
