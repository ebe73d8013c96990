"""AUD-E004: cross-field integrity the schema cannot express: unique ids, references to materials, the order
of the sign-up window's dates, materials on the campaign's channels.

Each check reads the raw document (it runs beside the schema, on values the schema may reject) and yields
`EngineHit`s. `auditor.dependencies` runs a check again on a tracked copy to see which values it read.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import TypeGuard

from auditor.checks.engine_rules import BROKEN_REFERENCE, EngineHit
from auditor.findings import Severity


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def duplicate_ids(doc: dict) -> Iterator[EngineHit]:
    materials = _list(doc.get("materials"))
    for kind, items in (("material", materials), ("fee", _list(doc.get("fees")))):
        seen: set = set()
        for i, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(ident, str) and ident in seen:
                yield EngineHit(BROKEN_REFERENCE, f"/{kind}s/{i}/id",
                                f"the {kind} id `{ident}` is used twice; ids must be unique")
            if isinstance(ident, str):
                seen.add(ident)


def broken_references(doc: dict) -> Iterator[EngineHit]:
    """`disclosed_in` entries that name no material."""
    materials = _list(doc.get("materials"))
    material_ids = [m.get("id") for m in materials if isinstance(m, dict)]
    known = f" (materials: {', '.join(str(m) for m in material_ids)})" if material_ids else ""
    for container_pointer, refs in _disclosures(doc):
        for j, ref in enumerate(_list(refs)):
            if isinstance(ref, str) and ref not in material_ids:
                yield EngineHit(BROKEN_REFERENCE, f"{container_pointer}/disclosed_in/{j}",
                                f"`disclosed_in` names `{ref}`, but no material has that id" + known)


def _disclosures(doc: dict) -> Iterator[tuple[str, object]]:
    """(pointer, `disclosed_in` value) of every item that says where it is disclosed, in document order."""
    for i, fee in enumerate(_list(doc.get("fees"))):
        if isinstance(fee, dict):
            yield f"/fees/{i}", fee.get("disclosed_in")
    offer = _dict(doc.get("offer"))
    for i, item in enumerate(_list(offer.get("eligibility"))):
        if isinstance(item, dict):
            yield f"/offer/eligibility/{i}", item.get("disclosed_in")
    if isinstance(doc.get("minimum_spend"), dict):
        yield "/minimum_spend", doc["minimum_spend"].get("disclosed_in")
    for i, item in enumerate(_list(doc.get("validity_limits"))):
        if isinstance(item, dict):
            yield f"/validity_limits/{i}", item.get("disclosed_in")


def period_order(doc: dict) -> Iterator[EngineHit]:
    period = _dict(doc.get("period"))
    start, end = period.get("start"), period.get("end")
    if _iso_date(start) and _iso_date(end) and end < start:  # a value that is not a date is the schema's finding
        yield EngineHit(BROKEN_REFERENCE, "/period/end", f"the sign-up window ends ({end}) before it starts ({start})")


def material_channels(doc: dict) -> Iterator[EngineHit]:
    materials = _list(doc.get("materials"))
    channels = _list(doc.get("channels"))
    for i, material in enumerate(materials):
        channel = material.get("channel") if isinstance(material, dict) else None
        if isinstance(channel, str) and channel != "notification" and channels and channel not in channels:
            yield EngineHit(
                BROKEN_REFERENCE, f"/materials/{i}/channel",
                f"material `{material.get('id')}` is on channel `{channel}`, which is not one of the campaign's "
                f"sign-up channels ({', '.join(map(str, channels))}) nor `notification`", Severity.MEDIUM)


def _iso_date(value) -> TypeGuard[str]:
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


IntegrityCheck = Callable[[dict], Iterator[EngineHit]]
INTEGRITY_CHECKS: tuple[IntegrityCheck, ...] = (duplicate_ids, broken_references, period_order, material_channels)
