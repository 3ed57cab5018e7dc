"""One normal form for source URLs, so that the same article is recognised under its many spellings.

A scoop of a URL already in the topic is refused, and suggestions de-duplicate candidates, by
comparing ``normalize_url`` results. The rewriting is deliberately narrow: it only removes what can
never change the page that a server returns (case of scheme and host, default ports, credentials,
the fragment, marketing parameters, needless percent-escapes, dot segments). Everything else is kept
as written, because sites differ: ``www.``, trailing slashes, path case and parameter order can all
select a different page. docs/urls-and-images.md explains each rule.
"""

import contextlib
import ipaddress
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

try:  # IDNA 2008 with UTS #46 mapping, as browsers do; arrives with aiohttp (yarl depends on it).
    import idna
except ImportError:  # pragma: no cover - exercised only where idna is not installed
    idna = None

DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that only say where a click came from; the page is the same without them. Names are
# compared lower-cased. Deliberately not here: anything a site could use to pick content (id, p,
# page, q, v, t, ref, s, ...), and broad prefixes other than utm_ (see docs/urls-and-images.md).
# fmt: off
TRACKING_PARAMS = frozenset(
    {
        # click identifiers of ad and social networks
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ttclid", "twclid",
        "igshid", "igsh",
        # e-mail and marketing tools: Mailchimp, HubSpot, Marketo, Vero, Webtrends
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "vero_id", "wt_mc",
        "wt.mc_id",
        # Google Analytics cross-domain linking, Twitter embeds, Adobe, Omniture-style campaign ids
        "_ga", "_gl", "ref_src", "ref_url", "cmpid", "ns_source", "ns_mchannel",
        "oly_anon_id", "oly_enc_id",
        # AT Internet / Piano Analytics campaign parameters, on most French newspapers' RSS and
        # newsletter links (xtor=RSS-3208, at_medium=newsletter)
        "xtor", "at_medium", "at_campaign", "at_platform", "at_creation", "at_variant",
        "at_format", "at_send_date", "at_recipient_id", "at_recipient_list", "at_link",
        "at_link_id", "at_link_type", "at_link_origin", "at_ptr_name", "at_email_type",
    }
)
# fmt: on
TRACKING_PREFIXES = ("utm_",)
# "si" is YouTube's and Spotify's share-tracking parameter; on other sites it may be real input.
TRACKING_PARAMS_BY_HOST = {
    "youtube.com": frozenset({"si"}),
    "youtu.be": frozenset({"si"}),
    "spotify.com": frozenset({"si"}),
}

# RFC 3986 section 2: characters allowed unescaped in each component. "%" is handled separately.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PCHAR = _UNRESERVED | frozenset("!$&'()*+,;=:@")
_PATH_CHARS = _PCHAR | {"/"}
_QUERY_CHARS = _PCHAR | {"/", "?"}
_ESCAPE_OR_CHAR = re.compile(r"%[0-9A-Fa-f]{2}|.", re.DOTALL)
_HOST_LABEL = re.compile(r"[a-z0-9_-]+")


def normalize_url(url: str) -> str:
    """The normal form of an http(s) URL; ValueError when it is not one."""
    parts = _split(url)
    host = _normalize_host(parts.hostname or "")
    port = _port(parts)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[parts.scheme]:
        netloc = f"{netloc}:{port}"
    path = _remove_dot_segments(_normalize_escapes(parts.path, _PATH_CHARS)) or "/"
    query = _strip_tracking(_normalize_escapes(parts.query, _QUERY_CHARS), host)
    return urlunsplit((parts.scheme, netloc, path, query, _route_fragment(parts.fragment)))


def canonical_or(url: str, canonical: str | None) -> str:
    """The page's canonical URL when it designates the same site as ``url``, else ``url``.

    Both are returned normalized. A canonical on another site is ignored: any page can declare one,
    and pointing it at someone else's site is a known way to pass spam off as a trusted source.
    """
    original = normalize_url(url)
    if not canonical or not canonical.strip():
        return original
    try:
        candidate = normalize_url(urljoin(original, canonical.strip()))
    except ValueError:
        return original
    return candidate if _same_site(original, candidate) else original


def _split(url: str):
    text = url.strip()
    if not text:
        raise ValueError("The URL is empty.")
    try:
        parts = urlsplit(text)
    except ValueError as error:
        raise ValueError(f"Not a valid URL: {text[:200]!r} ({error}).") from error
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise ValueError(f"Only http and https URLs are accepted, not {text[:200]!r}.")
    if not parts.hostname:
        raise ValueError(f"This URL has no host name: {text[:200]!r}.")
    return parts._replace(scheme=parts.scheme.lower())


def _port(parts) -> int | None:
    try:
        return parts.port
    except ValueError as error:
        raise ValueError(f"This URL has an invalid port: {parts.netloc!r}.") from error


def _normalize_host(hostname: str) -> str:
    """Lower-case ASCII (punycode for IDN), no trailing dot; IPv6 literals in compressed form."""
    if ":" in hostname:
        try:
            return ipaddress.IPv6Address(hostname).compressed
        except ValueError as error:
            raise ValueError(f"Invalid IPv6 address in URL: {hostname!r}.") from error
    host = _map_idn(hostname) if not hostname.isascii() else hostname.lower()
    host = host.removesuffix(".")
    labels = [_encode_label(label) for label in host.split(".")]
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"Invalid host name in URL: {hostname!r}.")
    return ".".join(labels)


def _map_idn(hostname: str) -> str:
    # UTS #46 mapping also turns ideographic full stops ("。") into label separators.
    if idna is None:  # pragma: no cover
        return hostname.lower().replace("\u3002", ".").replace("\uff0e", ".")
    try:
        return idna.uts46_remap(hostname, std3_rules=False, transitional=False)
    except idna.IDNAError as error:
        raise ValueError(f"Invalid international host name: {hostname!r}.") from error


def _encode_label(label: str) -> str:
    # Only non-ASCII labels go through IDNA: ASCII labels such as "my_site" are common in the wild
    # but refused by strict IDNA 2008, and browsers accept them.
    if label.isascii():
        return label
    if idna is not None:
        # Symbols and emoji are not IDNA 2008; IDNA 2003 (the stdlib codec) still takes them.
        with contextlib.suppress(idna.IDNAError):
            return idna.alabel(label).decode("ascii")
    try:
        return label.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValueError(f"Invalid international host name label: {label!r}.") from error


def _normalize_escapes(text: str, allowed: frozenset[str]) -> str:
    """Uppercase escapes, decode the unreserved ones, escape what RFC 3986 does not allow raw."""
    out = []
    for token in _ESCAPE_OR_CHAR.findall(text):
        if len(token) == 3:
            char = chr(int(token[1:], 16))
            out.append(char if char in _UNRESERVED else token.upper())
        elif token in allowed:
            out.append(token)
        else:
            # Includes a stray "%": escaping it keeps "%%41a" from turning into a new escape later.
            out.append("".join(f"%{byte:02X}" for byte in token.encode("utf-8", "surrogatepass")))
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, for the absolute paths of URLs that have a host."""
    output: list[str] = []
    segments = path.split("/")[1:] if path else []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "..":
            if output:
                output.pop()
            if last:
                output.append("")
        elif segment == ".":
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/" + "/".join(output) if segments else ""


def _strip_tracking(query: str, host: str) -> str:
    if not query:
        return ""
    extra = _host_params(host)
    kept = [piece for piece in query.split("&") if not _is_tracking(piece, extra)]
    return "&".join(kept)


def _host_params(host: str) -> frozenset[str]:
    for domain, names in TRACKING_PARAMS_BY_HOST.items():
        if host == domain or host.endswith("." + domain):
            return names
    return frozenset()


def _is_tracking(piece: str, extra: frozenset[str]) -> bool:
    name = piece.split("=", 1)[0].lower()
    return name in TRACKING_PARAMS or name in extra or name.startswith(TRACKING_PREFIXES)


def _route_fragment(fragment: str) -> str:
    # "#!/post/42" (hash-bang) and "#/post/42" (hash routing) name content in single-page sites;
    # any other fragment is a position in the page, and the same page for the server.
    if fragment.startswith(("!", "/")):
        return _normalize_escapes(fragment, _QUERY_CHARS)
    return ""


def _same_site(original: str, candidate: str) -> bool:
    a, b = urlsplit(original), urlsplit(candidate)
    same_host = a.hostname.removeprefix("www.") == b.hostname.removeprefix("www.")
    upgrade_or_same = b.scheme == a.scheme or b.scheme == "https"
    return same_host and upgrade_or_same and a.port == b.port
