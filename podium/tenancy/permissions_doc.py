"""docs/permissions.md, written from the one permission table (`ROLE_ACTIONS`).

`manage.py permissions_doc` writes it; a test fails when the file and the code differ,
so the document cannot drift from what `can()` decides.
"""

from django.utils import translation

from .models import StaffRole
from .permissions import ROLE_ACTIONS, Action

HEADER = """# Who may do what

Generated from `podium/tenancy/permissions.py` by `manage.py permissions_doc`; a test
(`podium/tenancy/tests/test_permissions_doc.py`) fails when this file and the code
differ. Every office page and API endpoint asks `can(user_or_key, action, house)`:
staff through their roles in the house (or the cluster, for a coordinator), API keys
through their scopes (an API key's scope is an action's code below).

"""


def permissions_markdown() -> str:
    roles = list(StaffRole.Role)
    with translation.override("en"):
        head = "| action | code | " + " | ".join(str(r.label) for r in roles) + " |"
        rows = [head, "| --- | --- | " + " | ".join("---" for _r in roles) + " |"]
        for action in Action:
            marks = ["yes" if action in ROLE_ACTIONS[r] else "" for r in roles]
            rows.append(
                f"| {action.label} | `{action.value}` | " + " | ".join(marks) + " |"
            )
    return HEADER + "\n".join(rows) + "\n"
