"""Placement runs (issue 16, decision 0055): the commitment, the stored run, each outcome."""

from __future__ import annotations

import sqlalchemy as sa

from elk_adapters.persistence.tables.columns import (
    Json,
    UtcDateTime,
    fk_column,
    id_column,
    metadata,
)

placement_runs = sa.Table(
    "placement_runs",
    metadata,
    id_column(),
    sa.Column("procedure", sa.String(50), nullable=False),
    sa.Column("school_year", sa.Integer, nullable=False),  # the year it starts (2026: 2026-2027)
    sa.Column("commitment", sa.String(64), nullable=False),  # SHA-256 of the seed, hex
    sa.Column("committed_at", UtcDateTime, nullable=False),
    sa.Column("run_at", UtcDateTime),
    sa.Column("published_at", UtcDateTime),
    sa.Column("oversubscribed", Json),  # ids of the schools with a reserve list
    # The instance without names (with the seed) and the result with its audit, as the
    # published files (elk-placement-instance/1, elk-placement-result/1): their JSON text,
    # zlib-compressed (a national run's 35 MB become 7 MB; decision 0055), written whole.
    sa.Column("instance", sa.LargeBinary),
    sa.Column("result", sa.LargeBinary),
    sa.Index(None, "procedure", "school_year"),
    sqlite_autoincrement=True,
)

placement_outcomes = sa.Table(
    "placement_outcomes",
    metadata,
    sa.Column("run_id", sa.ForeignKey("placement_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("pupil_id", sa.ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True),
    fk_column("school_id", "schools.id", nullable=True),
    sa.Column("level", sa.String(20)),
    sa.Column("choice", sa.Integer),  # 1 = first choice; 0 = the equivalent level
    sa.Column("lottery_rank", sa.Integer, nullable=False),
    # No index on pupil_id alone: a pupil is looked up within a run (the primary key).
    sa.Index(None, "run_id", "school_id"),
)

placement_reserve = sa.Table(  # one row per programme with a reserve list, in order
    "placement_reserve",
    metadata,
    sa.Column("run_id", sa.ForeignKey("placement_runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("school_id", sa.ForeignKey("schools.id"), primary_key=True),
    sa.Column("level", sa.String(20), primary_key=True),
    sa.Column("pupil_ids", Json, nullable=False),  # first in line first
)
