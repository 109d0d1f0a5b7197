"""Who is using the kit, and what their role lets them do.

On one person's own database (SQLite, `make run`, or a PostgreSQL database no `server init` has made a
team's) the one user does everything, as before. On a team's database the person is the database's own
idea of who is connected (`session_user`, taken by PostgreSQL's `peer` sign-in from the operating-system
account, so a kernel holds no password), with the role and team the team's `staff` table gives them.
The apps use `may` to leave out controls a role may not use; PostgreSQL's grants, row-level security and
triggers refuse the same things again when they are tried (`store/team.py`), whatever the browser sends.
"""

from __future__ import annotations

from dataclasses import dataclass

# The roles of a team's database (`neglect-kit users add NAME --role ROLE`), and ONE_PERSON for a database
# of one person's own.
PRACTITIONER, SUPERVISOR, RESEARCHER, ADMINISTRATOR = "practitioner", "supervisor", "researcher", "administrator"
# the extract service's own login (`neglect-kit extract-service`): no person signs in with it, and it has no app
EXTRACTOR = "extractor"
ONE_PERSON = "one person"
ROLES = (PRACTITIONER, SUPERVISOR, RESEARCHER, ADMINISTRATOR, EXTRACTOR)

# What each role may do. Reading a case's named records is further limited by caseload (PostgreSQL's
# row-level security): a practitioner's assigned cases, a supervisor's team's cases.
READ_CASES, WRITE_CASES, SIGN_AS_SUPERVISOR, SIGN_AS_WORKER, MANAGE_PEOPLE, REMOVE_CASES, READ_REVIEWS = (
    "read named case records", "write case records", "sign as a session's supervisor",
    "sign as a session's worker", "manage people, teams and assignments", "remove a case",
    "read anonymised reviews and extracts")
APPROVE_EXTRACTS, REQUEST_EXTRACTS, TAKE_EXTRACTS = (
    "approve a researcher's extract of cases", "request an extract of the cases an administrator approved",
    "take the extracts researchers requested (the extract service)")
_MAY: dict[str, frozenset[str]] = {
    PRACTITIONER: frozenset({READ_CASES, WRITE_CASES, SIGN_AS_WORKER}),
    SUPERVISOR: frozenset({READ_CASES, WRITE_CASES, SIGN_AS_SUPERVISOR, SIGN_AS_WORKER}),
    RESEARCHER: frozenset({READ_REVIEWS, REQUEST_EXTRACTS}),
    ADMINISTRATOR: frozenset({MANAGE_PEOPLE, REMOVE_CASES, APPROVE_EXTRACTS}),
    EXTRACTOR: frozenset({TAKE_EXTRACTS}),
    ONE_PERSON: frozenset({READ_CASES, WRITE_CASES, SIGN_AS_SUPERVISOR, SIGN_AS_WORKER, MANAGE_PEOPLE,
                           REMOVE_CASES, READ_REVIEWS}),
}


@dataclass(frozen=True)
class Person:
    """The person using the kit.

    Attributes:
        username: their sign-in name (the database role and operating-system account on a team's server).
        display_name: their name as records show it (a supervision record names its supervisor and worker
            so; unique on a team's server).
        role: one of ROLES, or ONE_PERSON.
        team: their team (a supervisor sees the team's cases); "" where there is none.
    """

    username: str
    display_name: str
    role: str
    team: str = ""

    def may(self, action: str) -> bool:
        """Whether the role allows `action` (one of the constants above)."""
        return action in _MAY.get(self.role, frozenset())

    @property
    def on_a_team(self) -> bool:
        """Whether this is a team's database, where roles and caseloads apply."""
        return self.role != ONE_PERSON

    def why_not(self, action: str) -> str:
        """Why the role does not allow `action`, in words for the screen."""
        return f"your role ({self.role}) does not allow you to {action}"
