"""The address policy (SSRF guard): which IP addresses a fetch may connect to.

Only globally reachable unicast addresses pass. The table follows the IANA special-purpose address
registries (https://www.iana.org/assignments/iana-ipv4-special-registry/ and its IPv6 twin) rather
than ``ipaddress.is_global``, whose answers changed between Python releases (3.11.7 calls
192.0.0.192, the Oracle Cloud metadata address, global). IPv6 forms that embed an IPv4 address
(IPv4-mapped, NAT64, 6to4, Teredo, IPv4-compatible) are judged by the address they embed, so that
``::ffff:127.0.0.1`` or ``2002:7f00:1::`` is refused as the loopback address it reaches.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address, ip_network

from .errors import BLOCKED_ADDRESS, DNS, INVALID_URL, FetchError, RefusedError

IPAddress = IPv4Address | IPv6Address

PRIVATE = "a private address"
METADATA = "a cloud metadata address"

# Instance metadata and platform endpoints: AWS, GCP, Azure, OpenStack, DigitalOcean
# (169.254.169.254 and its AWS IPv6 twin), AWS ECS task metadata, Alibaba Cloud, Oracle Cloud
# (legacy), and Azure's WireServer, which sits in public address space: only this list catches it.
_METADATA_ADDRESSES = frozenset(
    ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "fd00:ec2::254",
        "100.100.100.200",
        "192.0.0.192",
        "168.63.129.16",
    )
)

_IPV4_TABLE = [
    (ip_network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "an unspecified address"),
        ("10.0.0.0/8", PRIVATE),
        ("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", PRIVATE),
        ("192.0.0.0/24", "a reserved (IETF protocol) address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a reserved (6to4 relay) address"),
        ("192.168.0.0/16", PRIVATE),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("255.255.255.255/32", "the broadcast address"),
        ("240.0.0.0/4", "a reserved address"),
    )
]

_IPV6_TABLE = [
    (ip_network(net), reason)
    for net, reason in (
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("64:ff9b:1::/48", "a local-use NAT64 address"),
        ("100::/64", "a discard-only address"),
        ("2001::/23", "a reserved (IETF protocol) address"),
        ("2001:db8::/32", "a documentation address"),
        ("3fff::/20", "a documentation address"),
        ("fc00::/7", "a unique local (private) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local (private) address"),
        ("ff00::/8", "a multicast address"),
    )
]

_GLOBAL_UNICAST_V6 = IPv6Network("2000::/3")
_NAT64 = IPv6Network("64:ff9b::/96")
_MAPPED = IPv6Network("::ffff:0:0/96")
_COMPATIBLE = IPv6Network("::/96")


def parse_ip(value: str | IPAddress) -> IPAddress:
    """An address object from a literal; a zone (``%eth0``) is dropped: the address counts."""
    if isinstance(value, IPv4Address | IPv6Address):
        address = value
    else:
        try:
            address = ip_address(value.strip("[]"))
        except ValueError as exc:
            raise RefusedError(INVALID_URL, f"refused: {value!r} is not an IP address") from exc
    if isinstance(address, IPv6Address) and address.scope_id:
        address = IPv6Address(int(address))
    return address


def _embedded_ipv4(address: IPv6Address) -> tuple[str, IPv4Address] | None:
    """The IPv4 address that an IPv6 transition form reaches, with the name of the form."""
    if address in _MAPPED:
        return "an IPv4-mapped form", IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _NAT64:
        return "a NAT64 form", IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return "a 6to4 form", address.sixtofour
    if address.teredo is not None:
        return "a Teredo form", address.teredo[1]
    if address in _COMPATIBLE and int(address) > 1:
        return "an IPv4-compatible form", IPv4Address(int(address))
    return None


def _ipv6_reason(address: IPv6Address) -> str | None:
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        form, inner = embedded
        inner_reason = blocked_reason(inner)
        if inner_reason is not None:
            return f"{form} of {inner}, {inner_reason}"
        if address in _NAT64:
            return None  # DNS64 on an IPv6-only network answers public names this way.
    for network, reason in _IPV6_TABLE:
        if address in network:
            return reason
    if address not in _GLOBAL_UNICAST_V6:
        return "a reserved address"
    return None


def blocked_reason(value: str | IPAddress) -> str | None:
    """Why an address is refused ("a private address"), or None when it may be connected to."""
    address = parse_ip(value)
    if address in _METADATA_ADDRESSES:
        return METADATA
    if isinstance(address, IPv6Address):
        reason = _ipv6_reason(address)
    else:
        reason = next((r for net, r in _IPV4_TABLE if address in net), None)
    if reason is None and not address.is_global:
        reason = "a reserved address"  # A safety net for ranges the tables above would miss.
    return reason


def check_address(value: str | IPAddress) -> None:
    """Raise ``RefusedError`` unless a fetch may connect to this address."""
    address = parse_ip(value)
    reason = blocked_reason(address)
    if reason is not None:
        raise RefusedError(BLOCKED_ADDRESS, f"refused: {address} is {reason}")


def normalize_host(host: str) -> str:
    """A host name as the policy compares it: lower case, no trailing dot, no IPv6 brackets."""
    return host.strip().strip("[]").rstrip(".").lower()


@dataclass(frozen=True)
class AllowList:
    """Hosts that bypass the address policy (tests, local deployments): names or IP literals.

    A name lets that name reach any address; an IP literal lets that address be reached, whether it
    is written in the URL or is what a name resolves to.
    """

    names: frozenset[str] = frozenset()
    addresses: frozenset[IPAddress] = frozenset()

    @classmethod
    def parse(cls, entries: "str | Iterable[str] | AllowList | None") -> "AllowList":
        if isinstance(entries, AllowList):
            return entries
        if isinstance(entries, str):
            entries = entries.split(",")
        names, addresses = set(), set()
        for entry in entries or ():
            host = normalize_host(entry)
            if not host:
                continue
            try:
                addresses.add(parse_ip(host))
            except RefusedError:
                names.add(host)
        return cls(frozenset(names), frozenset(addresses))

    def allows_name(self, host: str) -> bool:
        return normalize_host(host) in self.names

    def allows_address(self, address: IPAddress) -> bool:
        return address in self.addresses


def check_resolved(host: str, addresses: Iterable[str], allow: AllowList) -> list[str]:
    """The addresses a name resolved to, all checked; one refused address refuses the name.

    A name that answers with an internal address next to a public one is either misconfigured or
    hostile; connecting to "the good one" would depend on which address the connector tries first.
    """
    answers = list(dict.fromkeys(addresses))
    if not answers:
        raise FetchError(DNS, f"{host} has no address")
    if allow.allows_name(host):
        return answers
    for answer in answers:
        address = parse_ip(answer)
        reason = None if allow.allows_address(address) else blocked_reason(address)
        if reason is not None:
            raise RefusedError(BLOCKED_ADDRESS, f"refused: {host} resolves to {address}, {reason}")
    return answers
