"""PDF documents: ``Xhtml2PdfRenderer`` (Jinja2 + xhtml2pdf) behind the DocumentRenderer port."""

from elk_adapters.documents.renderer import Xhtml2PdfRenderer

__all__ = ["Xhtml2PdfRenderer"]
