"""Seeded generator of realistic campaigns for the benchmarks.

    python benchmarks/generate.py OUT_DIR --count 1000 [--seed 7] [--format json|yaml|xlsx|mixed]

Campaigns are built from the evaluation corpus and the compliant bases (all
eight jurisdictions, every offer type, Chinese and English texts), with
seeded variations of ids, prices, terms, reminder days and texts, and a
realistic share (about 60%) carrying the defects of the complaint cases.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JURISDICTIONS = ["CN", "TW", "HK", "EU", "UK", "US", "US-CA", "AU"]


def seeds() -> list[dict]:
    from auditor.examples import base
    from auditor.load import load_path

    docs = [base("cn"), base("uk")]
    for path in sorted((ROOT / "tests" / "corpus").glob("*.*")):
        if path.suffix in (".json", ".yaml", ".xlsx"):
            document = load_path(path).document
            if isinstance(document, dict) and not any(
                    isinstance(m, dict) and "file" in m for m in document.get("materials", [])):
                docs.append(document)
    return docs


DEFECTS = [
    lambda d, r: d.get("end_of_term", {}).pop("notifications", None),
    lambda d, r: d.setdefault("consent", {}).update(pre_checked=True),
    lambda d, r: d["materials"][0].update(text=d["materials"][0].get("text", "") + " 全网最低！比友商便宜！"),
    lambda d, r: d["fees"][0].update(amount=round(d["fees"][0].get("amount", 1) * 1.5 + 1, 2)) if d["fees"] else None,
    lambda d, r: d.update(cancellation={"methods": [{"channel": "phone", "instructions": "Call us",
                                                     "available": "after_term"}]}),
    lambda d, r: d["materials"].append({"id": f"extra{r.randint(1, 9)}", "kind": "advert", "channel": "web",
                                        "text": "FREE for 3 months! Unlimited data! No hidden fees!"}),
]


def variant(seed_doc: dict, rng: random.Random, index: int) -> dict:
    doc = copy.deepcopy(seed_doc)
    doc["id"] = f"GEN-{index:06d}"
    doc["name"] = f"{doc.get('name', 'campaign')} #{index}"
    if rng.random() < 0.3:
        doc["jurisdiction"] = rng.choice(JURISDICTIONS)
    for fee in doc.get("fees", []):
        if isinstance(fee.get("amount"), (int, float)) and rng.random() < 0.2:
            fee["amount"] = round(fee["amount"] * rng.choice([1, 1, 2]), 2)
    for n in doc.get("end_of_term", {}).get("notifications", []) or []:
        n["days_before"] = max(0, n.get("days_before", 7) + rng.choice([0, 0, -2, 3]))
    if rng.random() < 0.6:
        rng.choice(DEFECTS)(doc, rng)
    return doc


def write(doc: dict, path: Path) -> None:
    from auditor.convert import json_bytes, xlsx_bytes, yaml_bytes

    data = {".json": json_bytes, ".yaml": yaml_bytes, ".xlsx": xlsx_bytes}[path.suffix](doc)
    path.write_bytes(data)


def generate(out: Path, count: int, seed: int = 7, fmt: str = "json") -> list[Path]:
    rng = random.Random(seed)
    pool = seeds()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        doc = variant(pool[i % len(pool)], rng, i)
        suffix = {"json": ".json", "yaml": ".yaml", "xlsx": ".xlsx"}.get(fmt) or rng.choice([".json", ".yaml"])
        path = out / f"campaign-{i:06d}{suffix}"
        write(doc, path)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=["json", "yaml", "xlsx", "mixed"], default="json")
    args = parser.parse_args()
    paths = generate(args.out, args.count, args.seed, args.format)
    print(f"wrote {len(paths)} campaigns to {args.out}")


if __name__ == "__main__":
    main()
