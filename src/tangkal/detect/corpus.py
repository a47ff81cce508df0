"""Readers for the labelled sets in ``../shared/data`` (training-time I/O only).

Labels are mapped to one question, "is this a scam?": fraud, smishing and scam are 1;
personal messages, OTPs, operator notices and promotions are 0. Two exceptions follow
the labels the sets allow: UCI "spam" is 2000s premium-rate prize/subscription fraud and
cannot be told apart from smishing, so it is 1; Vietnamese label 1 includes illegal
gambling/loan adverts, which the annotators counted as smishing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MessageExample",
    "UrlExample",
    "read_lines",
    "read_messages",
    "read_popular_domains",
    "read_urls",
]

csv.field_size_limit(10_000_000)


@dataclass(frozen=True, slots=True)
class MessageExample:
    """One labelled message; ``kind`` keeps the source label (ham, promo, otp, notice...)."""

    text: str
    label: int
    dataset: str
    kind: str


@dataclass(frozen=True, slots=True)
class UrlExample:
    """One labelled URL or bare domain."""

    url: str
    label: int
    dataset: str


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def read_messages(root: Path) -> list[MessageExample]:
    """Read every labelled message set under ``root`` that is present."""
    out: list[MessageExample] = []
    path = root / "id_sms_spam_rahmi_wibisono/dataset_sms_spam_v1.train.csv"
    if path.exists():
        kinds = {"0": "ham", "1": "fraud", "2": "promo"}
        for row in _rows(path):
            kind = kinds[row["label"].strip()]
            out.append(MessageExample(row["Teks"], int(kind == "fraud"), "id_fraud", kind))
    path = root / "id_sms_scam_bopbi/indonesia_sms_spam_bopbi.csv"
    if path.exists():
        for row in _rows(path):
            out.append(MessageExample(row["text"], 1, "id_scam_bopbi", row["category"]))
    path = root / "uci_sms_spam_collection/SMSSpamCollection.train.tsv"
    if path.exists():
        for line in path.read_text("utf-8").splitlines():
            label, _, text = line.partition("\t")
            if text:
                out.append(MessageExample(text, int(label == "spam"), "en_uci", label))
    path = root / "en_sms_smishing_mishra_soni/Dataset_5971.minus_uci_holdout.csv"
    if path.exists():
        for row in _rows(path):
            kind = row["label"].strip().casefold()
            out.append(MessageExample(row["TEXT"], int(kind != "ham"), "en_mishra_soni", kind))
    path = root / "thai_sms_ssivakorn/thai_sms_combined_dedup.csv"
    if path.exists():
        for row in _rows(path):
            if row["label_conflict"] == "yes":
                continue  # the same text carries two labels in the raw files
            kind = row["label"].strip().casefold()
            out.append(MessageExample(row["text"], int(kind == "scam"), "th_scam", kind))
    path = root / "vi_sms_smishing_ie403/dataset.csv"
    if path.exists():
        for row in _rows(path):
            vi_label = int(row["label"])
            out.append(MessageExample(row["content"], vi_label, "vi_smishing", str(vi_label)))
    path = root / "ph_scam_reports_sinoto/select.csv"
    if path.exists():
        for row in _rows(path):
            proof = row["proof"].strip()
            # Reports whose proof is a sentence, not a bare name or link.
            if len(proof) >= 25 and " " in proof:
                out.append(MessageExample(proof, 1, "ph_reports", row["type"] or "unknown"))
    return out


def read_lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a text list."""
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_popular_domains(root: Path) -> list[str]:
    """Tranco top-50k domains in rank order."""
    path = root / "benign_domains_tranco_sublime/tranco_top_50k.csv"
    return [line.split(",", 1)[1] for line in read_lines(path) if "," in line]


def read_urls(root: Path) -> list[UrlExample]:
    """Read the phishing/scam URL lists and the legitimate URLs present under ``root``."""
    out: list[UrlExample] = []
    path = root / "phishing_urls_hannousse/dataset_phishing.train.csv"
    if path.exists():
        for row in _rows(path):
            label = int(row["status"] == "phishing")
            out.append(UrlExample(row["url"], label, "hannousse"))
    path = root / "phishtank_verified_online_2021/verified_online.minus_holdout.csv"
    if path.exists():
        out.extend(UrlExample(row["url"], 1, "phishtank") for row in _rows(path))
    for folder, name, dataset in [
        ("gaso_scam_urls", "global-anti-scam-org-scam-urls.minus_holdout.txt", "gaso"),
        ("vn_phishing_chongluadao", "urls.minus_holdout.txt", "chongluadao"),
    ]:
        out.extend(UrlExample(line, 1, dataset) for line in read_lines(root / folder / name))
    path = root / "crypto_scam_polkadot/all.json"
    if path.exists():
        deny = json.loads(path.read_text("utf-8"))["deny"]
        out.extend(UrlExample(domain, 1, "polkadot") for domain in deny)
    return out
