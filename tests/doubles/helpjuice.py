"""A Helpjuice double: ``/api/v3/categories`` with the raw key in ``Authorization``.

Behaviour follows providers.md 2.5. With "Require token for API?" on (the default here),
categories need the key: a missing or wrong key gets 401 (status and body assumed; the
providers.md facts are unconfirmed). Accounts added with ``require_token=False`` show public
categories to anyone and ignore the key, as Helpjuice does. An unknown subdomain gets an HTML
404 (assumed). The ``ratelimited`` tenant answers 429 with Helpjuice's message and no
``Retry-After``; the ``wrongshape`` tenant answers 200 with JSON that is not a category list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.doubles.base import Double, json_response

UNAUTHORIZED = {"error": "Unauthorized"}  # assumed shape, see the module docstring
CATEGORIES = [
    {"id": 101, "name": "Getting started", "codename": "getting-started", "accessibility": 0},
    {"id": 102, "name": "Billing", "codename": "billing", "accessibility": 0},
    {"id": 103, "name": "Internal runbooks", "codename": "runbooks", "accessibility": 1},
]


@dataclass
class HelpjuiceDouble(Double):
    # subdomain -> api key
    accounts: dict[str, str] = field(default_factory=dict)
    open_accounts: set[str] = field(default_factory=set)

    def add_account(self, subdomain: str, key: str, *, require_token: bool = True) -> None:
        self.accounts[subdomain] = key
        if not require_token:
            self.open_accounts.add(subdomain)

    def knows(self, tenant: str) -> bool:
        return tenant in self.accounts or tenant == "wrongshape"

    def too_many_requests(self) -> Response:
        return json_response(
            429, {"message": "You have fired too many requests, please wait one minute."}
        )

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        if tenant == "wrongshape":
            return json_response(200, {"status": "ok"})
        if path != "/api/v3/categories":
            return json_response(404, {"error": "Not found"})
        if tenant in self.open_accounts:
            public = [c for c in CATEGORIES if c["accessibility"] == 0]
            return json_response(200, {"meta": {"total_count": len(public)}, "categories": public})
        if request.headers.get("Authorization") != self.accounts.get(tenant):
            return json_response(401, UNAUTHORIZED)
        return json_response(
            200, {"meta": {"total_count": len(CATEGORIES)}, "categories": CATEGORIES}
        )
