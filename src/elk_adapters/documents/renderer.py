"""``Xhtml2PdfRenderer``: Jinja2 templates (autoescaped) rendered to PDF by xhtml2pdf.

The DLE chart arrives as SVG text from ``elk_domain.okidoc.testresults.charts`` and goes into
the page as a ``data:`` image, which xhtml2pdf draws as vectors through svglib.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping

import jinja2

from elk_adapters.documents.resources import link_callback, resource_policy
from elk_domain.errors import Rejected, Unavailable


def svg_data_uri(svg: str) -> str:
    """An SVG document as a ``data:`` URI for an ``<img>`` (nothing is fetched)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def make_environment() -> jinja2.Environment:
    """The documents' Jinja2 environment: every template autoescaped, unknown names an error."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("elk_adapters.documents", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["svg_data_uri"] = svg_data_uri
    return environment


def html_to_pdf(html: str) -> bytes:
    """Render finished HTML to PDF under the resource policy; library failures become ours."""
    # Imported on first use: xhtml2pdf takes half a second, and most processes never print.
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import RenderLimitError

    output = io.BytesIO()
    try:
        status = pisa.CreatePDF(
            html,
            dest=output,
            encoding="utf-8",
            link_callback=link_callback,
            resource_policy=resource_policy(),
            # Keep the source in memory: above 100 KB xhtml2pdf would spill it, pupil data and
            # all, to a temporary file that it never closes.
            capacity=-1,
        )
    except RenderLimitError as exc:
        raise Rejected("Het document is te groot om als PDF te maken.") from exc
    except Exception as exc:  # xhtml2pdf and reportlab raise many unrelated types
        raise Unavailable("Het PDF-document kon niet worden gemaakt.") from exc
    if status.err:
        raise Unavailable("Het PDF-document kon niet worden gemaakt.")
    return output.getvalue()


class Xhtml2PdfRenderer:
    """Satisfies ``elk_domain.documents.ports.DocumentRenderer``; one instance, many renders."""

    def __init__(self, environment: jinja2.Environment | None = None) -> None:
        self.environment = environment or make_environment()

    def render_html(self, template: str, context: Mapping[str, object]) -> str:
        """The document's HTML (what ``render`` hands to xhtml2pdf); for tests and previews."""
        try:
            return self.environment.get_template(template).render(context)
        except jinja2.TemplateNotFound as exc:
            raise Rejected(f"Onbekend documentsjabloon '{template}'.") from exc

    def render(self, template: str, context: dict[str, object]) -> bytes:
        """PDF bytes of ``template`` filled with ``context``."""
        return html_to_pdf(self.render_html(template, context))
