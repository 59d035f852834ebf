"""The fictional demo region (``elk demo load`` / ``make demo``): deterministic for a seed."""

from elk_adapters.demo.accounts import DEMO_ACCOUNTS, DemoAccount
from elk_adapters.demo.loader import DEFAULT_SEED, DemoSummary, load_demo

__all__ = ["DEFAULT_SEED", "DEMO_ACCOUNTS", "DemoAccount", "DemoSummary", "load_demo"]
