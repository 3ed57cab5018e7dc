"""The resolver that makes the address policy hold at connection time (DNS rebinding).

aiohttp's connector asks its resolver for the addresses of a name and connects to exactly the
addresses it gets back; it never resolves the name again for that connection. So resolving once
here, refusing the name when any answer is refused, and handing back the checked answers pins the
connection to what was checked: a second, different DNS answer is never used. IP-literal hosts do
not reach a resolver at all; ``check_url`` checks them before every request.
"""

import inspect
import socket
from collections.abc import Awaitable, Callable, Iterable

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from .policy import AllowList, check_resolved

# A stub for tests: host -> IP strings, plain or async.
Lookup = Callable[[str], Iterable[str] | Awaitable[Iterable[str]]]


class GuardedResolver(AbstractResolver):
    """Resolve with ``lookup`` (or the system resolver) and return only checked addresses."""

    def __init__(self, *, allow: AllowList, lookup: Lookup | None = None) -> None:
        self._allow = allow
        self._lookup = lookup
        self._system = ThreadedResolver() if lookup is None else None

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._answers(host, port, family)
        check_resolved(host, [r["host"] for r in results], self._allow)
        return results

    async def _answers(self, host: str, port: int, family: int) -> list[ResolveResult]:
        if self._system is not None:
            return await self._system.resolve(host, port, family)
        answers = self._lookup(host)
        if inspect.isawaitable(answers):
            answers = await answers
        return [_result(host, str(answer), port) for answer in answers]

    async def close(self) -> None:
        if self._system is not None:
            await self._system.close()


def _result(host: str, address: str, port: int) -> ResolveResult:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    return ResolveResult(
        hostname=host,
        host=address,
        port=port,
        family=family,
        proto=0,
        flags=socket.AI_NUMERICHOST,
    )
