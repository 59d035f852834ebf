"""A local OSO simulator: Traffic Center and school LAS over real SOAP/HTTP, for tests and demo."""
