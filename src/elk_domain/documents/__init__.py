"""Documents: the Oki-doc and registration-form PDFs and what goes into them."""
