"""The OSO use cases in one place for the web and the CLI (R-OSO-1..8).

``oso_config``: delivery points and notifications; ``oso_transfer``: "Aanvragen overdracht";
``oso_sync``: "Synchroniseer", the bulk actions and the CLI's batch scope; ``oso_batch``: the
results per pupil and the port of the batch engine that runs them.
"""

from __future__ import annotations

from elk_domain.bsn_list import BsnList, InvalidEntry, parse_bsn_list
from elk_domain.merge import MergeMode
from elk_domain.services.oso_batch import (
    BatchRun,
    OsoBatch,
    OsoJob,
    PupilSync,
    SyncOutcome,
    SyncReport,
)
from elk_domain.services.oso_config import (
    DeliveryPointRow,
    delivery_points_for,
    list_notifications,
    ping_delivery_point,
    register_delivery_point,
    store_notifications,
)
from elk_domain.services.oso_sync import sync_each, sync_one, sync_pupils, sync_scope
from elk_domain.services.oso_transfer import TransferReport, request_transfers

__all__ = [
    "BatchRun",
    "BsnList",
    "DeliveryPointRow",
    "InvalidEntry",
    "MergeMode",
    "OsoBatch",
    "OsoJob",
    "PupilSync",
    "SyncOutcome",
    "SyncReport",
    "TransferReport",
    "delivery_points_for",
    "list_notifications",
    "parse_bsn_list",
    "ping_delivery_point",
    "register_delivery_point",
    "request_transfers",
    "store_notifications",
    "sync_each",
    "sync_one",
    "sync_pupils",
    "sync_scope",
]
