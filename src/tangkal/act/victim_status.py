"""What a victim sees behind their private status link: their report's milestones, nothing more.

The link carries the report's reference and a secret whose SHA-256 the report keeps. A
wrong secret and an unknown reference give the same NotFound, so references cannot be
probed. Only dates and yes/no milestones are shown: no amount, organisation, other report
or indicator, since those belong to other people and to investigations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session

from tangkal.act.models import Case, CaseReport, CrossBorderRequest, RequestEvent
from tangkal.audit.log import record
from tangkal.errors import NotFound
from tangkal.link.models import NetworkMember
from tangkal.report.models import Report

__all__ = ["LANGUAGES", "STEPS", "Step", "victim_status"]

STEPS = ("received", "linked", "forwarded", "freeze_requested", "frozen", "returned")

# The victim's own language: these few sentences are the whole page, so they live here.
_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "received": "Your report was received.",
        "linked": "Your report was linked to a scam network under investigation.",
        "forwarded": "Your case was forwarded to another authority.",
        "freeze_requested": "A freeze of the scammers' funds was requested.",
        "frozen": "Funds were frozen.",
        "returned": "Funds were returned.",
    },
    "id": {
        "received": "Laporan Anda telah diterima.",
        "linked": "Laporan Anda terhubung dengan jaringan penipuan yang sedang diselidiki.",
        "forwarded": "Kasus Anda telah diteruskan ke otoritas lain.",
        "freeze_requested": "Pemblokiran dana pelaku telah dimintakan.",
        "frozen": "Dana telah diblokir.",
        "returned": "Dana telah dikembalikan.",
    },
    "ms": {
        "received": "Laporan anda telah diterima.",
        "linked": "Laporan anda dikaitkan dengan rangkaian penipuan yang sedang disiasat.",
        "forwarded": "Kes anda telah dimajukan kepada pihak berkuasa lain.",
        "freeze_requested": "Pembekuan dana penipu telah dipohon.",
        "frozen": "Dana telah dibekukan.",
        "returned": "Dana telah dipulangkan.",
    },
    "th": {
        "received": "ได้รับรายงานของคุณแล้ว",
        "linked": "รายงานของคุณเชื่อมโยงกับเครือข่ายมิจฉาชีพที่อยู่ระหว่างการสืบสวน",
        "forwarded": "เรื่องของคุณถูกส่งต่อไปยังหน่วยงานอื่นแล้ว",
        "freeze_requested": "มีการขออายัดเงินของมิจฉาชีพแล้ว",
        "frozen": "เงินถูกอายัดแล้ว",
        "returned": "เงินถูกส่งคืนแล้ว",
    },
    "vi": {
        "received": "Báo cáo của bạn đã được tiếp nhận.",
        "linked": "Báo cáo của bạn được liên kết với một mạng lưới lừa đảo đang bị điều tra.",
        "forwarded": "Vụ việc của bạn đã được chuyển đến một cơ quan khác.",
        "freeze_requested": "Đã yêu cầu phong tỏa tiền của kẻ lừa đảo.",
        "frozen": "Tiền đã được phong tỏa.",
        "returned": "Tiền đã được hoàn trả.",
    },
    "tl": {
        "received": "Natanggap na ang iyong ulat.",
        "linked": "Naiugnay ang iyong ulat sa isang scam network na iniimbestigahan.",
        "forwarded": "Naipasa na ang iyong kaso sa ibang awtoridad.",
        "freeze_requested": "Hiniling na i-freeze ang pera ng mga scammer.",
        "frozen": "Na-freeze na ang pera.",
        "returned": "Naibalik na ang pera.",
    },
    # km, my, lo: machine-drafted like their catalogues; a native speaker should review them.
    "km": {
        "received": "បានទទួលរបាយការណ៍របស់អ្នកហើយ។",
        "linked": "របាយការណ៍របស់អ្នកត្រូវបានភ្ជាប់ទៅបណ្ដាញបោកប្រាស់ ដែលកំពុងស៊ើបអង្កេត។",
        "forwarded": "រឿងរបស់អ្នកត្រូវបានបញ្ជូនទៅអាជ្ញាធរផ្សេងទៀត។",
        "freeze_requested": "បានស្នើសុំឱ្យបង្កកប្រាក់របស់ជនបោកប្រាស់។",
        "frozen": "ប្រាក់ត្រូវបានបង្កក។",
        "returned": "ប្រាក់ត្រូវបានប្រគល់ជូនវិញ។",
    },
    "my": {
        "received": "သင့်တိုင်ကြားချက်ကို လက်ခံရရှိပြီးပါပြီ။",
        "linked": "သင့်တိုင်ကြားချက်ကို စုံစမ်းစစ်ဆေးနေသော လိမ်လည်မှု ကွန်ရက်တစ်ခုနှင့် ချိတ်ဆက်ထားပါသည်။",
        "forwarded": "သင့်အမှုကို အခြား အာဏာပိုင်အဖွဲ့ထံ လွှဲပို့ပြီးပါပြီ။",
        "freeze_requested": "လိမ်လည်သူများ၏ ငွေကို ထိန်းထားရန် (freeze) တောင်းဆိုပြီးပါပြီ။",
        "frozen": "ငွေကို ထိန်းထားပြီးပါပြီ။",
        "returned": "ငွေကို ပြန်ပေးပြီးပါပြီ။",
    },
    "lo": {
        "received": "ໄດ້ຮັບລາຍງານຂອງທ່ານແລ້ວ.",
        "linked": "ລາຍງານຂອງທ່ານຖືກເຊື່ອມໂຍງກັບເຄືອຂ່າຍຫຼອກລວງ ທີ່ກຳລັງຖືກສືບສວນ.",
        "forwarded": "ເລື່ອງຂອງທ່ານຖືກສົ່ງຕໍ່ໄປຫາເຈົ້າໜ້າທີ່ອື່ນແລ້ວ.",
        "freeze_requested": "ໄດ້ຂໍໃຫ້ອາຍັດເງິນຂອງຄົນຫຼອກລວງແລ້ວ.",
        "frozen": "ເງິນຖືກອາຍັດແລ້ວ.",
        "returned": "ເງິນຖືກສົ່ງຄືນແລ້ວ.",
    },
}
LANGUAGES = tuple(_TEXT)


@dataclass(frozen=True, slots=True)
class Step:
    step: str
    done: bool
    at: dt.datetime | None
    text: str


def _check_secret(report: Report | None, secret: str) -> Report:
    expected = report.status_secret_hash if report is not None else None
    given = hashlib.sha256(secret.encode("utf-8")).hexdigest()
    if report is None or expected is None or not hmac.compare_digest(expected, given):
        raise NotFound("no report with this reference and key", field="reference")
    return report


def victim_status(
    session: Session, reference: str, secret: str, language: str | None = None,
    *, remote: str | None = None,
) -> tuple[str, list[Step]]:  # fmt: skip
    """(language, milestones) of one report, for the holder of its status secret."""
    report = _check_secret(
        session.scalar(select(Report).where(Report.reference == reference.strip().upper())),
        secret,
    )
    lang = language if language in _TEXT else (report.language if report.language in _TEXT
                                                else "en")  # fmt: skip
    networks = list(
        session.scalars(
            select(NetworkMember.network_id).where(NetworkMember.report_id == report.id)
        )
    )
    case_ids = select(Case.id).where(
        or_(
            Case.id.in_(select(CaseReport.case_id).where(CaseReport.report_id == report.id)),
            Case.network_id.in_(networks) if networks else false(),
        )
    )
    reqs = list(
        session.scalars(
            select(CrossBorderRequest).where(
                CrossBorderRequest.case_id.in_(case_ids),
                CrossBorderRequest.submitted_at.is_not(None),
            )
        )
    )

    def first(values: list[dt.datetime | None]) -> dt.datetime | None:
        present = [v for v in values if v is not None]
        return min(present) if present else None

    freezes = [r for r in reqs if r.type == "freeze"]
    frozen = [r for r in freezes if r.amount_frozen > 0]
    returned_ids = [r.id for r in freezes if r.amount_returned > 0]
    returned_at = (
        session.scalar(
            select(func.min(RequestEvent.at)).where(
                RequestEvent.request_id.in_(returned_ids),
                RequestEvent.details.is_not(None),
                RequestEvent.from_status == RequestEvent.to_status,
            )
        )
        if returned_ids
        else None
    )
    linked = bool(networks) or bool(session.scalar(
        select(CaseReport.case_id).where(CaseReport.report_id == report.id).limit(1)
    ))  # fmt: skip
    when: dict[str, tuple[bool, dt.datetime | None]] = {
        "received": (True, report.received_at),
        "linked": (linked, None),
        "forwarded": (bool(reqs), first([r.submitted_at for r in reqs])),
        "freeze_requested": (bool(freezes), first([r.submitted_at for r in freezes])),
        "frozen": (bool(frozen), first([r.executed_at for r in frozen])),
        "returned": (bool(returned_ids), returned_at),
    }
    record(session, "victim", "report.status_read", "report", report.id, remote=remote)
    return lang, [Step(s, when[s][0], when[s][1], _TEXT[lang][s]) for s in STEPS]
