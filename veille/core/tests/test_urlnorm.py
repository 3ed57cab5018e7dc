import string
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from veille.core.urlnorm import canonical_or, normalize_url

# ---------------------------------------------------------------------------------------------
# Concrete cases


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("  HTTPS://Example.COM  ", "https://example.com/"),
        ("https://example.com?q=1", "https://example.com/?q=1"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://www.example.com./a", "https://www.example.com/a"),
        ("https://München.de/straße", "https://xn--mnchen-3ya.de/stra%C3%9Fe"),
        ("https://user:secret@example.com/private", "https://example.com/private"),
        ("http://[::1]:80/", "http://[::1]/"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/a/b/..", "https://example.com/a/"),
        ("https://example.com/%7euser/%41%2f%2b", "https://example.com/~user/A%2F%2B"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        (
            "https://fr.wikipedia.org/wiki/Réseau informatique",
            "https://fr.wikipedia.org/wiki/R%C3%A9seau%20informatique",
        ),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/#!/post/42", "https://example.com/#!/post/42"),
        ("https://app.example.com/#/articles/7", "https://app.example.com/#/articles/7"),
        # What must not be rewritten: "www.", trailing slash, path case, order, duplicates.
        ("https://www.Example.com/Path/", "https://www.example.com/Path/"),
        ("https://example.com/?b=2&a=1&utm_source=x&a=1", "https://example.com/?b=2&a=1&a=1"),
        (
            "https://example.com/search?q=x&id=3&p=2&page=4&v=1&t=30",
            "https://example.com/search?q=x&id=3&p=2&page=4&v=1&t=30",
        ),
        # French newspapers: AT Internet's xtor and at_* in RSS and newsletter links.
        (
            "https://www.lemonde.fr/economie/article/2024/03/05/titre_6220000_3234.html"
            "?xtor=RSS-3208",
            "https://www.lemonde.fr/economie/article/2024/03/05/titre_6220000_3234.html",
        ),
        (
            "https://www.lefigaro.fr/flash-eco/un-titre-20240305?xtor=AL-155-[twitter]"
            "&utm_source=twitter&utm_medium=social",
            "https://www.lefigaro.fr/flash-eco/un-titre-20240305",
        ),
        (
            "https://www.ouest-france.fr/economie/abc.html?at_medium=newsletter"
            "&at_campaign=quotidienne&at_send_date=20240305",
            "https://www.ouest-france.fr/economie/abc.html",
        ),
        (
            "https://www.ladepeche.fr/2024/03/05/toulouse-un-titre-11800000.php"
            "?fbclid=IwAR0aBcDeFgHiJkLmNoP",
            "https://www.ladepeche.fr/2024/03/05/toulouse-un-titre-11800000.php",
        ),
        # A Google AMP cache link is kept as such (only canonical_or may leave it), minus tracking.
        (
            "https://www-lemonde-fr.cdn.ampproject.org/c/s/www.lemonde.fr/amp/article/x.html"
            "?utm_source=google&gclid=abc",
            "https://www-lemonde-fr.cdn.ampproject.org/c/s/www.lemonde.fr/amp/article/x.html",
        ),
        (
            "https://www.liberation.fr/a/?utm_source=twitter&utm_campaign=echobox#Echobox=1",
            "https://www.liberation.fr/a/",
        ),
        ("https://example.com/a?ref_src=twsrc%5Etfw", "https://example.com/a"),
        ("https://example.com/a?utm%5Fsource=x&_hsenc=p2&mc_cid=1", "https://example.com/a"),
        # "si" is tracking on YouTube and Spotify share links only.
        ("https://youtu.be/dQw4w9WgXcQ?si=Ab12Cd", "https://youtu.be/dQw4w9WgXcQ"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=Ab12Cd&t=42",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
        ),
        ("https://open.spotify.com/track/1a?si=9f", "https://open.spotify.com/track/1a"),
        ("https://example.com/list?si=2&q=x", "https://example.com/list?si=2&q=x"),
        ("https://example.com/a?utm_source=x", "https://example.com/a"),
        ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"),
    ],
)
def test_normalize_url_gives_the_normal_form(url, expected):
    assert normalize_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ftp://example.com/file", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("mailto:someone@example.com", "Only http and https"),
        ("example.com/no-scheme", "Only http and https"),
        ("http://", "no host"),
        ("https:///path", "no host"),
        ("https://exa mple.com/", "Invalid host"),
        ("https://a..b/", "Invalid host"),
        ("https://example.com../", "Invalid host"),
        ("https://<script>/", "Invalid host"),
        ("http://example.com:99999/", "invalid port"),
        ("http://example.com:port/", "invalid port"),
        ("http://[::1/", "Not a valid URL"),
    ],
)
def test_normalize_url_refuses_what_is_not_an_http_url(url, message):
    with pytest.raises(ValueError, match=message):
        normalize_url(url)


# ---------------------------------------------------------------------------------------------
# canonical_or


@pytest.mark.parametrize(
    ("url", "canonical", "expected"),
    [
        (
            "https://www.lemonde.fr/amp/article/x.html?utm_source=a",
            "https://www.lemonde.fr/article/x.html",
            "https://www.lemonde.fr/article/x.html",
        ),
        ("https://lemonde.fr/x", "https://www.lemonde.fr/x", "https://www.lemonde.fr/x"),
        ("https://www.lemonde.fr/x", "https://lemonde.fr/x", "https://lemonde.fr/x"),
        ("http://example.com/a", "https://example.com/a", "https://example.com/a"),
        ("https://example.com/a?id=1", "/articles/1", "https://example.com/articles/1"),
        (
            "https://example.com/a",
            "https://example.com/b?utm_medium=x#top",
            "https://example.com/b",
        ),
    ],
)
def test_canonical_or_takes_a_canonical_on_the_same_site(url, canonical, expected):
    assert canonical_or(url, canonical) == expected


@pytest.mark.parametrize(
    "canonical",
    [
        None,
        "",
        "   ",
        "https://spam.example/buy-now",  # another site: the known spam vector
        "https://example.com.evil.test/a",
        "https://m.example.com/a",  # a sibling subdomain is another host
        "http://example.com/b",  # https to http would be a downgrade
        "https://example.com:8443/b",
        "javascript:alert(1)",
        "https://exa mple.com/",
    ],
)
def test_canonical_or_keeps_the_original_otherwise(canonical):
    assert canonical_or("https://example.com/a?utm_source=x", canonical) == (
        "https://example.com/a"
    )


def test_canonical_or_refuses_an_invalid_original():
    with pytest.raises(ValueError):
        canonical_or("ftp://example.com/", "https://example.com/")


# ---------------------------------------------------------------------------------------------
# Properties, on generated URLs

# Characters whose lower case is also their IDNA (UTS #46) mapping, so the host check holds.
IDN_CHARS = "éèàçüöñßÉÀÇÖжЖпдПД中文日本語"
LABEL = st.text(string.ascii_letters + string.digits + IDN_CHARS, min_size=1, max_size=10)
HOST = st.tuples(
    st.lists(st.one_of(LABEL, st.builds("{}-{}".format, LABEL, LABEL)), min_size=1, max_size=4),
    st.booleans(),
).map(lambda parts: ".".join(parts[0]) + ("." if parts[1] else ""))
ESCAPE = st.sampled_from(["%41", "%7e", "%2F", "%2f", "%e9", "%C3%A9", "%25", "%2E", "%zz", "%"])
RAW = st.text(string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@ é[]|^`{}<>\"", max_size=3)
SEGMENT = st.one_of(
    st.sampled_from([".", "..", "%2E", "%2e%2E", ""]),
    st.lists(st.one_of(RAW, ESCAPE), max_size=4).map("".join),
)
PATH = st.lists(SEGMENT, max_size=6).map(lambda segments: "".join("/" + s for s in segments))
VALUE = st.lists(
    st.one_of(st.text(string.ascii_letters + string.digits + "=+/?:@ é-._~", max_size=4), ESCAPE),
    max_size=3,
).map("".join)
REAL_NAMES = ["id", "p", "page", "q", "v", "t", "ref", "lang", "s", "si", "xtor_like", "amp"]
TRACKING_NAMES = ["utm_source", "UTM_Medium", "utm_x", "utm%5Fcampaign", "fbclid", "gclid",
                  "xtor", "mc_cid", "_ga", "at_medium", "ref_src", "msclkid"]  # fmt: skip
PARAM = st.tuples(st.booleans(), st.sampled_from(REAL_NAMES), st.sampled_from(TRACKING_NAMES))
FRAGMENT = st.one_of(
    st.none(), VALUE, VALUE.map("!/{}".format), VALUE.map("/{}".format), st.just("#")
)


@st.composite
def urls(draw):
    """An http(s) URL and what it was built from."""
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    host, port = draw(HOST), draw(st.one_of(st.none(), st.sampled_from([80, 443, 8080, 65535])))
    userinfo = draw(st.sampled_from(["", "user@", "user:pa%20ss@"]))
    params = [
        (name if real else tracking, draw(VALUE), real)
        for real, name, tracking in draw(st.lists(PARAM, max_size=6))
    ]
    fragment = draw(FRAGMENT)
    url = f"{scheme}://{userinfo}{host}" + (f":{port}" if port is not None else "") + draw(PATH)
    if params:
        url += "?" + "&".join(f"{name}={value}" for name, value, _ in params)
    if fragment is not None:
        url += "#" + fragment
    return {"url": url, "scheme": scheme.lower(), "host": host, "port": port, "params": params}


def decoded_host(hostname):
    labels = hostname.split(".")
    return ".".join(
        label[4:].encode("ascii").decode("punycode") if label.startswith("xn--") else label
        for label in labels
    )


@given(urls())
def test_normalize_url_is_idempotent(case):
    once = normalize_url(case["url"])
    assert normalize_url(once) == once


@given(urls())
def test_normalize_url_keeps_the_host_and_the_port(case):
    parts = urlsplit(normalize_url(case["url"]))
    assert parts.scheme == case["scheme"]
    assert decoded_host(parts.hostname) == case["host"].lower().removesuffix(".")
    default = {"http": 80, "https": 443}[case["scheme"]]
    assert (parts.port or default) == (case["port"] or default)
    assert "@" not in parts.netloc


@given(urls())
def test_normalize_url_keeps_every_real_parameter_with_its_value(case):
    assume(
        not case["host"].lower().rstrip(".").endswith(("youtube.com", "youtu.be", "spotify.com"))
    )
    assume(case["url"] == case["url"].strip())  # Spaces around a URL are not part of it.
    real = "&".join(f"{name}={value}" for name, value, is_real in case["params"] if is_real)
    kept = urlsplit(normalize_url(case["url"])).query
    assert parse_qsl(kept, keep_blank_values=True) == parse_qsl(real, keep_blank_values=True)


@given(urls())
def test_normalize_url_leaves_no_dot_segment_and_no_plain_fragment(case):
    parts = urlsplit(normalize_url(case["url"]))
    assert parts.path.startswith("/")
    assert not {".", ".."} & set(parts.path.split("/"))
    assert parts.fragment == "" or parts.fragment.startswith(("!", "/"))
