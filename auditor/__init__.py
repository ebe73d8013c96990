"""campaign-auditor: audit telecom marketing campaigns before they launch."""

__version__ = "0.1.0"
