"""The address policy, decided without sending a packet: URLs, literal addresses, stub DNS."""

import asyncio
import socket

import pytest
from yarl import URL

from veille.core.http import (
    AllowList,
    FetchError,
    GuardedResolver,
    RefusedError,
    blocked_reason,
    check_address,
    check_resolved,
    check_url,
)

BLOCKED, SCHEME, CREDS, INVALID = "blocked_address", "bad_scheme", "credentials", "invalid_url"

# (url, code, a part of the message that names the reason)
REFUSED_URLS = [
    ("http://10.0.0.5/", BLOCKED, "refused: 10.0.0.5 is a private address"),
    ("http://127.0.0.1/", BLOCKED, "127.0.0.1 is a loopback address"),
    ("http://127.0.0.1:8000/admin/", BLOCKED, "loopback"),
    ("http://127.1/", BLOCKED, "127.0.0.1 is a loopback address"),
    ("http://127.0.1/", BLOCKED, "loopback"),
    ("http://2130706433/", BLOCKED, "127.0.0.1 is a loopback address"),
    ("http://0177.0.0.1/", BLOCKED, "loopback"),
    ("http://0x7f.0.0.1/", BLOCKED, "loopback"),
    ("http://0x7f000001/", BLOCKED, "loopback"),
    ("http://017700000001/", BLOCKED, "loopback"),
    ("http://0x7f.1/", BLOCKED, "loopback"),
    ("http://127.0.0.1./", BLOCKED, "loopback"),
    ("http://１２７.０.０.１/", BLOCKED, "loopback"),  # Full-width digits, folded by IDNA.
    ("http://[::1]/", BLOCKED, "::1 is a loopback address"),
    ("http://[0:0:0:0:0:0:0:1]:8080/", BLOCKED, "loopback"),
    ("http://[::]/", BLOCKED, "unspecified"),
    ("http://0.0.0.0/", BLOCKED, "0.0.0.0 is an unspecified address"),
    ("http://0/", BLOCKED, "0.0.0.0 is an unspecified address"),
    ("http://[::ffff:127.0.0.1]/", BLOCKED, "IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("http://[::ffff:7f00:1]/", BLOCKED, "IPv4-mapped form of 127.0.0.1"),
    ("http://[::ffff:a9fe:a9fe]/", BLOCKED, "169.254.169.254, a cloud metadata address"),
    ("http://[::127.0.0.1]/", BLOCKED, "IPv4-compatible form of 127.0.0.1"),
    ("http://[2002:7f00:1::]/", BLOCKED, "6to4 form of 127.0.0.1"),
    ("http://[2002:a00:1::]/", BLOCKED, "6to4 form of 10.0.0.1, a private address"),
    ("http://[64:ff9b::7f00:1]/", BLOCKED, "NAT64 form of 127.0.0.1"),
    ("http://[64:ff9b::a9fe:a9fe]/", BLOCKED, "NAT64 form of 169.254.169.254, a cloud metadata"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", BLOCKED, "Teredo form of 127.0.0.1"),
    ("http://localhost/", BLOCKED, "localhost is a loopback name"),
    ("http://LOCALHOST/", BLOCKED, "loopback name"),
    ("http://localhost./", BLOCKED, "loopback name"),
    ("http://LocalHost.:8080/", BLOCKED, "loopback name"),
    ("http://api.localhost/", BLOCKED, "loopback name"),
    ("http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/", BLOCKED, "loopback name"),  # IDN that maps onto "localhost".
    ("http://169.254.169.254/latest/meta-data/", BLOCKED, "a cloud metadata address"),
    ("http://[fd00:ec2::254]/", BLOCKED, "a cloud metadata address"),
    ("http://100.100.100.200/", BLOCKED, "a cloud metadata address"),
    ("http://192.0.0.192/", BLOCKED, "a cloud metadata address"),
    ("http://168.63.129.16/", BLOCKED, "a cloud metadata address"),
    ("http://metadata.google.internal/", BLOCKED, "a cloud metadata name"),
    ("http://169.254.1.1/", BLOCKED, "link-local"),
    ("http://100.64.0.1/", BLOCKED, "carrier-grade NAT"),
    ("http://172.16.0.1/", BLOCKED, "private"),
    ("http://192.168.1.1/", BLOCKED, "private"),
    ("http://[fc00::1]/", BLOCKED, "unique local"),
    ("http://[fe80::1]/", BLOCKED, "link-local"),
    ("http://[fe80::1%25eth0]/", BLOCKED, "link-local"),
    ("http://224.0.0.1/", BLOCKED, "multicast"),
    ("http://[ff02::1]/", BLOCKED, "multicast"),
    ("http://240.0.0.1/", BLOCKED, "reserved"),
    ("http://255.255.255.255/", BLOCKED, "broadcast"),
    ("http://198.18.0.1/", BLOCKED, "benchmarking"),
    ("ftp://example.com/file", SCHEME, "only http and https can be fetched, not ftp"),
    ("file:///etc/passwd", SCHEME, "not file"),
    ("gopher://example.com/", SCHEME, "not gopher"),
    ("javascript:alert(1)", SCHEME, "not javascript"),
    ("data:text/plain,hello", SCHEME, "not data"),
    ("//example.com/", SCHEME, "the URL has no scheme"),
    ("http://user:pass@example.com/", CREDS, "user name or password"),
    ("http://user@example.com/", CREDS, "user name or password"),
    ("https://:secret@example.com/", CREDS, "user name or password"),
    ("http://134744072/", INVALID, "non-standard spelling of 8.8.8.8"),
    ("http://1.2.3.4.5/", INVALID, "not a valid IPv4 address"),
    ("http://example.com:0/", INVALID, "not a valid port"),
    ("http:///path", INVALID, "no host"),
    ("http://exa mple.com/", INVALID, "not a valid host name"),
    ("http://example.com\\@127.0.0.1/", INVALID, "not a valid URL"),
    ("", INVALID, "empty"),
]

ALLOWED_URLS = [
    "http://example.com/",
    "https://example.com:8443/feed.xml?page=2#top",
    "HTTP://EXAMPLE.COM./",
    "http://93.184.215.14/",
    "http://[2606:4700::1111]/",
    "http://[2002:808:808::]/",  # 6to4 of a public address.
    "http://[64:ff9b::808:808]/",  # NAT64 (DNS64) of a public address.
    "http://café.example/",
    "http://under_score.example/",
    "http://0x7f.0.0.1.example/",  # A name, not a number: the last label is not numeric.
]


@pytest.mark.parametrize(("url", "code", "reason"), REFUSED_URLS)
def test_check_url_refuses_every_spelling_with_a_reason(url, code, reason):
    with pytest.raises(RefusedError) as refused:
        check_url(url)
    assert refused.value.code == code
    assert reason in str(refused.value)


@pytest.mark.parametrize("url", ALLOWED_URLS)
def test_check_url_lets_public_hosts_through(url):
    target = check_url(url)
    assert target.url.scheme in {"http", "https"}
    assert target.url.fragment == ""


STUB_DNS = {
    "evil.test": ["10.0.0.1"],
    "meta.test": ["169.254.169.254"],
    "ula.test": ["fd00::1"],
    "mapped.test": ["::ffff:192.168.0.1"],
    "cgnat.test": ["100.64.1.1"],
    "scoped.test": ["fe80::1%eth0"],
    "nat64.test": ["64:ff9b::a00:1"],
    "mixed.test": ["93.184.215.14", "10.0.0.1"],
    "rebind.test": ["127.0.0.1"],
    "good.test": ["93.184.215.14", "2606:4700::1111"],
}


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("evil.test", "refused: evil.test resolves to 10.0.0.1, a private address"),
        ("meta.test", "resolves to 169.254.169.254, a cloud metadata address"),
        ("ula.test", "resolves to fd00::1, a unique local (private) address"),
        ("mapped.test", "IPv4-mapped form of 192.168.0.1, a private address"),
        ("cgnat.test", "carrier-grade NAT"),
        ("scoped.test", "resolves to fe80::1, a link-local address"),
        ("nat64.test", "NAT64 form of 10.0.0.1"),
        ("mixed.test", "resolves to 10.0.0.1, a private address"),
        ("rebind.test", "resolves to 127.0.0.1, a loopback address"),
    ],
)
def test_check_url_refuses_names_that_resolve_to_internal_addresses(host, reason):
    with pytest.raises(RefusedError) as refused:
        check_url(f"https://{host}/page", resolver=STUB_DNS.__getitem__)
    assert refused.value.code == BLOCKED
    assert reason in str(refused.value)


def test_check_url_returns_the_checked_addresses_of_a_public_name():
    target = check_url("https://good.test/", resolver=STUB_DNS.__getitem__)
    assert target.addresses == ("93.184.215.14", "2606:4700::1111")
    assert target.port == 443


def test_a_name_without_address_is_a_dns_error():
    with pytest.raises(FetchError) as failed:
        check_resolved("empty.test", [], AllowList())
    assert failed.value.code == "dns"


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.31.255.255",
        "192.168.0.1",
        "127.0.0.1",
        "127.255.255.254",
        "0.0.0.0",  # noqa: S104 - refused, never bound.
        "169.254.169.254",
        "169.254.170.2",
        "100.100.100.200",
        "192.0.0.192",
        "168.63.129.16",
        "100.64.0.1",
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.9",
        "192.88.99.1",
        "224.0.0.251",
        "255.255.255.255",
        "::",
        "::1",
        "fd00:ec2::254",
        "fd00::1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:8.8.8.8",  # Mapped forms never go on the wire: use the IPv4 address.
        "64:ff9b::a00:1",
        "64:ff9b:1::1",
        "2002:a9fe:a9fe::",
        "2001:db8::1",
        "100::1",
        "5f00::1",
    ],
)
def test_check_address_refuses_internal_and_special_addresses(address):
    assert blocked_reason(address) is not None
    with pytest.raises(RefusedError) as refused:
        check_address(address)
    assert refused.value.code == BLOCKED
    assert str(refused.value).startswith("refused: ")


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700::1111", "2002:808:808::"]
)
def test_check_address_accepts_public_addresses(address):
    check_address(address)
    assert blocked_reason(address) is None


def test_allow_list_names_bypass_the_policy_for_that_name_only():
    allow = AllowList.parse("localhost, Veille.Test.")
    assert check_url("http://localhost:8000/", allow_hosts=allow).allowed
    assert check_url("http://veille.test/", allow_hosts=allow).allowed
    assert check_resolved("veille.test", ["10.0.0.1"], allow) == ["10.0.0.1"]
    with pytest.raises(RefusedError, match="loopback"):
        check_url("http://127.0.0.1:8000/", allow_hosts=allow)


def test_allow_list_addresses_bypass_the_policy_for_that_address_only():
    allow = AllowList.parse(["127.0.0.1", "[::1]"])
    assert check_url("http://127.0.0.1:8000/", allow_hosts=allow).allowed
    assert check_url("http://[::1]:8000/", allow_hosts=allow).allowed
    assert check_resolved("app.test", ["127.0.0.1"], allow) == ["127.0.0.1"]
    with pytest.raises(RefusedError, match="127.0.0.2 is a loopback"):
        check_url("http://127.0.0.2/", allow_hosts=allow)
    with pytest.raises(RefusedError, match="loopback name"):
        check_url("http://localhost/", allow_hosts=allow)
    with pytest.raises(RefusedError, match="resolves to 10.0.0.1"):
        check_resolved("app.test", ["127.0.0.1", "10.0.0.1"], allow)


def test_an_allowed_host_does_not_allow_other_schemes_or_credentials():
    with pytest.raises(RefusedError) as refused:
        check_url("ftp://localhost/", allow_hosts="localhost")
    assert refused.value.code == SCHEME
    with pytest.raises(RefusedError) as refused:
        check_url("http://a:b@localhost/", allow_hosts="localhost")
    assert refused.value.code == CREDS


def _resolve(lookup, host):
    resolver = GuardedResolver(allow=AllowList(), lookup=lookup)
    return asyncio.run(resolver.resolve(host, 443, socket.AF_UNSPEC))


def test_resolver_hands_the_connector_only_checked_answers():
    results = _resolve(STUB_DNS.__getitem__, "good.test")
    assert [(r["host"], r["port"]) for r in results] == [
        ("93.184.215.14", 443),
        ("2606:4700::1111", 443),
    ]
    assert [r["family"] for r in results] == [socket.AF_INET, socket.AF_INET6]


def test_resolver_refuses_a_name_with_any_internal_answer():
    with pytest.raises(RefusedError, match="mixed.test resolves to 10.0.0.1"):
        _resolve(STUB_DNS.__getitem__, "mixed.test")


def test_resolver_accepts_an_async_lookup():
    async def lookup(host):
        return STUB_DNS[host]

    with pytest.raises(RefusedError, match="169.254.169.254"):
        _resolve(lookup, "meta.test")


def test_checks_without_a_resolver_are_remembered_and_refusals_are_not():
    from veille.core.http.urls import _checked

    url = "https://feeds.example.org/remembered.xml"
    first = check_url(url)
    hits = _checked.cache_info().hits
    assert check_url(url) is first
    assert _checked.cache_info().hits == hits + 1
    for _ in range(2):  # raised each time: a refusal is never a cached answer
        with pytest.raises(RefusedError, match="loopback"):
            check_url("http://127.0.0.1:8000/remembered")
    # Servers' redirect targets (URL objects) and long addresses are checked every time.
    hits, size = _checked.cache_info().hits, _checked.cache_info().currsize
    check_url(URL(url))
    long_url = "https://feeds.example.org/" + "x" * 3000
    check_url(long_url)
    check_url(long_url)
    assert (_checked.cache_info().hits, _checked.cache_info().currsize) == (hits, size)
    # The allow list is part of what is remembered.
    assert check_url("http://127.0.0.1:8000/remembered", allow_hosts=["127.0.0.1"]).allowed
    with pytest.raises(RefusedError):
        check_url("http://127.0.0.1:8000/remembered")
