"""The NinjaAPI: /api/v1/..., the OpenAPI document at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from veille.api import handlers
from veille.api.auth import TokenAuth
from veille.api.endpoints import comments, scoops, search, topics, users
from veille.api.problems import MEDIA_TYPE

DESCRIPTION = """\
Read public topics, scoops, comments and profiles anonymously; write with a personal API token
(`Authorization: Bearer <token>`, created in your settings at /api/tokens/). Lists are paged with
cursors: follow `next`. Errors are RFC 9457 problem details. See docs/api.md.
"""


class VeilleAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                _errors_as_problems(operation)
                if method == "get":  # public data: the token is optional
                    operation["security"] = [{}, *operation.get("security", [])]
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


def _errors_as_problems(operation) -> None:
    """Error responses are application/problem+json (ninja would document application/json)."""
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {})
        if int(status) >= 400 and "application/json" in content:
            content[MEDIA_TYPE] = content.pop("application/json")


api = VeilleAPI(
    title="Veille API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=TokenAuth(),
)
handlers.install(api)
api.add_router("/v1/topics", topics.router)
api.add_router("/v1/topics", scoops.router)
api.add_router("/v1/topics", comments.router)
api.add_router("/v1/users", users.router)
api.add_router("/v1/search", search.router)
