"""The mentoring agreement as plain data, ready for any renderer (Markdown, HTML, PDF).

Every string here is user text, unescaped: each renderer escapes for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AgreedExpectation:
    """An expectation the pair agreed, as stated or in new shared wording."""

    text: str
    raised_by: str
    shared_wording: str | None = None

    @property
    def wording(self) -> str:
        """The words both accepted."""
        return self.shared_wording or self.text


@dataclass(frozen=True)
class OpenPoint:
    """An expectation parked to discuss later, and when it comes back."""

    text: str
    raised_by: str
    when: str


@dataclass(frozen=True)
class Section:
    """A heading and its answered questions, as (question, answer text) pairs."""

    heading: str
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AgreementDocument:
    """Everything an exported agreement shows."""

    programme: str
    title: str
    relationship: str
    model: str
    members: tuple[tuple[str, str], ...]
    version: int
    sections: tuple[Section, ...]
    expectations: tuple[AgreedExpectation, ...] = ()
    open_points: tuple[OpenPoint, ...] = ()
    confirmations: tuple[tuple[str, str], ...] = ()
    waiting_for: tuple[str, ...] = ()
    generated_at: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def confirmed(self) -> bool:
        """True when every member has confirmed this version."""
        return bool(self.confirmations) and not self.waiting_for
