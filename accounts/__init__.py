"""People and roles: who may read, edit and administer the graph.

Accounts live in one YAML file outside git (``VUSTA_ACCOUNTS_FILE``, default
``<VUSTA_DATA_DIR>/accounts.yaml``) in the format of the streamlit-authenticator library:
``credentials.usernames.<username>`` with ``name``, ``email``, ``password`` (a bcrypt hash,
never the password) and ``roles``; ``cookie`` holds the name, the random signing key and the
expiry of the re-authentication cookie. ``python -m accounts`` creates the file, the first
administrator and further users (see :mod:`accounts.cli`).

Roles, each including the ones before it:

* ``viewer`` — reads everything the public app shows, plus people with ``internal`` visibility;
* ``editor`` — the curation pages: review documents, add and edit entities and relationships,
  merge duplicates, see and undo history;
* ``administrator`` — imports, deletion of a person on request, sample removal, backups, accounts.
"""

from accounts.roles import ROLES, Role, has_role  # noqa: F401
