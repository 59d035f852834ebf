"""The OSO gateway for an installation's ``ELK_OSO_*`` settings (bootstrap and the batch engine).

``zeep_gateway`` is a module-level function so that ``functools.partial(zeep_gateway,
settings)`` can be pickled to the batch engine's worker processes; zeep is imported only when
a gateway is built.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from elk_adapters.oso.lazy import LazyOsoGateway
from elk_adapters.settings import Settings
from elk_domain.errors import Rejected

if TYPE_CHECKING:
    from elk_domain.oso.ports import OsoGateway


def gateway_options(settings: Settings, options: dict[str, Any]) -> dict[str, Any]:
    """``ZeepOsoGateway``'s arguments from the settings; Rejected for settings that clash."""
    if settings.oso_client_key and not settings.oso_client_cert:
        raise Rejected("ELK_OSO_CLIENT_KEY is gezet zonder ELK_OSO_CLIENT_CERT.")
    cert: tuple[str, str] | str | None = settings.oso_client_cert or None
    if settings.oso_client_cert and settings.oso_client_key:
        cert = (settings.oso_client_cert, settings.oso_client_key)
    return {
        "operation_timeout": settings.oso_timeout,
        "retries": settings.oso_retries,
        "client_cert": cert,
        "ca": settings.oso_ca or None,
        **options,
    }


def zeep_gateway(settings: Settings, **options: Any) -> OsoGateway:
    """The SOAP gateway itself, built now (what each thread or worker process of a batch builds)."""
    from elk_adapters.oso.gateway import ZeepOsoGateway

    return ZeepOsoGateway(settings.oso_endpoint, **gateway_options(settings, options))


def lazy_gateway(settings: Settings, **options: Any) -> OsoGateway:
    """The SOAP gateway, built on first use; wrong settings are refused now, not then."""
    gateway_options(settings, options)
    return LazyOsoGateway(functools.partial(zeep_gateway, settings, **options))
