"""Use cases: a command in, ports in, a result out; each enforces who may do what."""
