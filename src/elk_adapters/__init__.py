"""Adapters: the technology around the domain (database, OSO SOAP, mail, documents, files)."""
