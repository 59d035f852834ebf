"""Boards, schools (PO and VO) and groups."""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from elk_domain.model.advice import Level
from elk_domain.model.values import Address, SchoolLocation


class OrgKind(enum.Enum):
    """Primary (po) or secondary (vo) education."""

    PO = "po"
    VO = "vo"


@attrs.frozen
class Board:
    """A school board (bestuur) owning several schools; its ELK contact helps its users."""

    id: int
    name: str
    contact_name: str = ""
    contact_email: str = ""


@attrs.frozen(kw_only=True)
class School:
    """A school location with the data of R-SCH-1; VO schools also carry levels and capacity."""

    id: int
    board_id: int
    kind: OrgKind
    official_name: str
    name: str
    school_type: str
    address: Address
    location: SchoolLocation
    director: str = ""
    elk_contact: str = ""
    levels: frozenset[Level] = frozenset()
    capacity: Mapping[Level, int] = attrs.field(factory=dict)
    offers_priority: bool = False
    version: int = 1


@attrs.frozen
class Group:
    """A class such as 8a; linked staff (contact persons) see only its pupils (R-AUTH-4)."""

    id: int
    school_id: int
    name: str
    contact_user_ids: frozenset[int] = frozenset()
