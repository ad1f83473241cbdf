"""A report in the format asked for: Markdown, HTML or PDF, as bytes."""

from __future__ import annotations

from collections.abc import Callable

from mentorkit.exceptions import ConfigError
from mentorkit.io.documents.report import Report, to_html, to_markdown
from mentorkit.io.documents.report_pdf import to_pdf

# ---------------------------------------------------------------------------------------------
# By format name

RENDERERS: dict[str, Callable[[Report], str | bytes]] = {
    "md": to_markdown,
    "html": to_html,
    "pdf": to_pdf,
}


def render_report(report: Report, fmt: str) -> bytes:
    """The report in format ``fmt`` ("md", "html" or "pdf") as bytes (text is UTF-8).

    The matching media type is ``MEDIA_TYPES[fmt]``.
    """
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise ConfigError(
            f"Unknown export format {fmt!r}. Choose one of: {', '.join(sorted(RENDERERS))}."
        )
    result = renderer(report)
    return result.encode("utf-8") if isinstance(result, str) else result
