"""Which regional procedure a registration belongs to (R-OUD-2, R-AAN-6): the installation's,
or the Amsterdam procedure for a parent who logged in with the "Ouderinlog Amsterdam". Read by
the registration's use cases and by the printed registration form."""

from __future__ import annotations

from elk_domain.kernel.people import Actor, Role
from elk_domain.organisation.procedure import (
    AMSTERDAM,
    ParentPortal,
    RegionalProcedure,
    procedure_named,
)
from elk_domain.parents.ports import ParentsWork


def procedure_for(uow: ParentsWork, actor: Actor, installation: str) -> RegionalProcedure:
    """The procedure a registration belongs to: the installation's, except for a parent who
    logged in with the "Ouderinlog Amsterdam" (R-AAN-6, R-OUD-2): that parent registers in the
    Amsterdam procedure, with its list lengths and its orientation-list rule."""
    account = uow.parent_accounts.for_pupil(actor.pupil_id or 0, ParentPortal.AMSTERDAM)
    if account is not None and actor.role is Role.PARENT and account.id == actor.user_id:
        return AMSTERDAM
    return procedure_named(installation)
