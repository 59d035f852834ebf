"""ELK's domain core: the rules of the PO-VO transfer, free of I/O.

Import what you need from the submodules: ``elk_domain.model`` for the entities and values,
``elk_domain.services`` for the use cases and ``elk_domain.ports`` for what an embedding
application has to provide.
"""
