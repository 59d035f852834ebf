"""The secret key signs session cookies and CSRF tokens: in production a guessable one is refused.

Whoever knows the key can forge a session cookie for any user. Refused are: no key, fewer than
32 bytes, little variety (fewer than 8 different characters, or a pattern that compresses to
almost nothing, such as a repeated word) and placeholder words ("changeme", "secret", ...).
A random key from ``secrets.token_urlsafe`` or ``token_hex`` always passes.
"""

from __future__ import annotations

import zlib

from elk_domain.errors import Rejected

HOW_TO = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
MIN_BYTES = 32
MIN_DISTINCT = 8
MIN_COMPRESSED = 32  # bytes: random keys of 32+ bytes never compress below this
PLACEHOLDERS = ("changeme", "change-me", "change_me", "secret", "password", "wachtwoord",
                "example", "voorbeeld", "default", "insecure", "replace")  # fmt: skip


def check_secret_key(key: str) -> None:
    """Raise Rejected, in Dutch and English, saying how to make a good key; never echo it."""
    problem = weakness(key)
    if problem is None:
        return
    dutch, english = problem
    raise Rejected(
        f"ELK_SECRET_KEY {dutch}. Maak een sterke sleutel met {HOW_TO} en zet die in "
        f"ELK_SECRET_KEY (bewaar hem in een kluis, niet in de repository). / "
        f"ELK_SECRET_KEY {english}; make a strong key with the command above."
    )


def weakness(key: str) -> tuple[str, str] | None:
    """Why ``key`` is too weak (Dutch, English), or None when it will do."""
    data = key.encode()
    if not key:
        return "is verplicht in productie", "is required in production"
    if len(data) < MIN_BYTES:
        return (
            f"is te kort (minder dan {MIN_BYTES} bytes)",
            f"is too short (fewer than {MIN_BYTES} bytes)",
        )
    if len(set(key)) < MIN_DISTINCT or len(zlib.compress(data, 9)) < MIN_COMPRESSED:
        return (
            "is te eentonig (te weinig verschillende tekens of een herhaald patroon)",
            "has too little variety (few different characters or a repeated pattern)",
        )
    word = next((w for w in PLACEHOLDERS if w in key.casefold()), None)
    if word is not None:
        return (
            f"lijkt op een voorbeeldwaarde (bevat '{word}')",
            f"looks like a placeholder (contains '{word}')",
        )
    return None
