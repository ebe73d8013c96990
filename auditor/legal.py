"""What a finding rests on, in words: findings whose only basis in the campaign's jurisdiction is operator
practice or house policy say so in their message (the register, checklists/references.yaml, says which)."""

from __future__ import annotations

from auditor.messages import T


def with_basis(message, cite):
    """The rule's message, followed by its basis when that basis is not law."""
    if cite is None or cite.stated or cite.basis == "law":
        return message
    if cite.basis == "practice":
        return T("{message} (basis: operator practice, not law)", message=message)
    return T("{message} (basis: house policy; no law of this jurisdiction is registered for this check)",
             message=message)
