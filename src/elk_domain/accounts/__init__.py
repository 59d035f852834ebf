"""Accounts: sign-in, two-factor, throttling, account links, impersonation and user management."""
