"""ELK's domain core: the rules of the PO-VO transfer, free of I/O.

One folder per area of the procedure, each above the ones it builds on (import-linter holds the
order; see docs/architecture.md): ``kernel`` (values, people and roles, the permission policy,
the ports to the outside world), ``organisation``, ``accounts``, ``pupils``, ``okidoc``, then
``oso``, ``finaltest`` and ``parents``, and on top the read models ``overview``, ``documents``,
``logbooks`` and ``access``. Each area keeps its entities (``model``), its rules, its
repositories (``ports``) and its use cases side by side. ``errors`` is shared by all;
``unit_of_work`` composes every area's repositories into one transaction for the adapters.
``testing`` holds in-memory fakes of every port, for tests and embedders.
"""
