"""HTTP Signatures against the published test vectors, and the refusals the inbox relies on.

Vectors (tests/vectors/): draft-cavage-http-signatures-12 Appendix C, RFC 9421 Appendix B.
"""

import base64
import json
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

from veille.federation.keys import generate_key_pair
from veille.federation.signatures import (
    SignatureError,
    cavage,
    crypto,
    rfc9421,
    signed_headers,
    structured,
    verify_request,
)
from veille.federation.signatures.outgoing import request_target

VECTORS = Path(__file__).parent / "vectors"
CAVAGE_NOW = datetime(2014, 1, 5, 21, 31, 40, tzinfo=UTC)
RFC9421_NOW = datetime.fromtimestamp(1618884473, UTC)
INBOX = "https://peer.example:8443/topic/toulouse-networks/inbox"


def _read(path: str) -> str:
    return (VECTORS / path).read_text()


@cache
def _vectors(name: str) -> dict:
    return json.loads(_read(name))


CAVAGE = _vectors("cavage-12/appendix-c.json")
RFC9421 = _vectors("rfc9421/appendix-b.json")


@cache
def _key_pair() -> tuple[str, str]:
    return generate_key_pair()


def _keys(*pems):
    """A get_public_key that answers ``pems`` in turn, recording how it was asked."""
    calls = []

    def get(key_id, refresh):
        calls.append((key_id, refresh))
        return pems[min(len(calls), len(pems)) - 1]

    get.calls = calls
    return get


def _code(**kwargs) -> str:
    with pytest.raises(SignatureError) as caught:
        verify_request(**kwargs)
    return caught.value.code


# --- draft-cavage-http-signatures-12, Appendix C ------------------------------------------------


def _cavage_headers(**extra) -> dict:
    return {**CAVAGE["request"]["headers"], **extra}


@pytest.mark.parametrize("name", ["C.1", "C.2"])
def test_cavage_appendix_c_signing_strings_and_signatures_are_reproduced(name):
    vector = CAVAGE["tests"][name]
    sig = cavage.parse_signature(vector["signature_header"])
    headers = {k.lower(): v for k, v in _cavage_headers().items()}
    data = cavage.signing_string(
        sig, method="POST", target=CAVAGE["request"]["target"], headers=headers
    )
    assert data.decode() == vector["signing_string"]
    produced = crypto.sign_rsa_sha256(_read("cavage-12/test-key.pem"), data)
    assert (
        base64.b64encode(produced).decode()
        == vector["signature"]
        == base64.b64encode(sig.signature).decode()
    )
    assert crypto.verifies(
        _read("cavage-12/test-key.pub.pem"),
        scheme="cavage",
        algorithm="rsa-sha256",
        data=data,
        signature=sig.signature,
    )


def test_cavage_appendix_c3_header_as_printed_is_refused_but_its_signing_string_verifies():
    """C.3 lists (created) (expires) with rsa-sha256, which section 2.3 says MUST be an error;
    its signature is over the signing string it prints, without those two lines."""
    vector = CAVAGE["tests"]["C.3"]
    sig = cavage.parse_signature(vector["signature_header"])
    headers = {k.lower(): v for k, v in _cavage_headers().items()}
    with pytest.raises(SignatureError) as caught:
        cavage.signing_string(
            sig, method="POST", target=CAVAGE["request"]["target"], headers=headers
        )
    assert caught.value.code == "unsupported"
    produced = crypto.sign_rsa_sha256(
        _read("cavage-12/test-key.pem"), vector["signing_string"].encode()
    )
    assert base64.b64encode(produced).decode() == vector["signature"]


def test_cavage_all_headers_request_verifies_end_to_end():
    signature = CAVAGE["tests"]["C.3"]["signature"]
    header = (
        'keyId="Test",algorithm="rsa-sha256",'
        'headers="(request-target) host date content-type digest content-length",'
        f'signature="{signature}"'
    )
    keys = _keys(_read("cavage-12/test-key.pub.pem"))
    verified = verify_request(
        method="POST",
        path=CAVAGE["request"]["target"],
        headers=_cavage_headers(Signature=header),
        body=CAVAGE["request"]["body"].encode(),
        get_public_key=keys,
        now=CAVAGE_NOW,
    )
    assert (verified.key_id, verified.actor_uri, verified.scheme) == ("Test", "Test", "cavage")
    assert keys.calls == [("Test", False)]


def test_cavage_basic_test_verifies_from_an_authorization_header_on_a_request_without_body():
    header = "Signature " + CAVAGE["tests"]["C.2"]["signature_header"]
    verified = verify_request(
        method="POST",
        path=CAVAGE["request"]["target"],
        headers=_cavage_headers(Authorization=header),
        body=b"",
        get_public_key=_keys(_read("cavage-12/test-key.pub.pem")),
        now=CAVAGE_NOW,
    )
    assert verified.scheme == "cavage"


def test_cavage_basic_test_is_refused_for_a_body_it_does_not_cover():
    header = CAVAGE["tests"]["C.2"]["signature_header"]
    code = _code(
        method="POST",
        path=CAVAGE["request"]["target"],
        headers=_cavage_headers(Signature=header),
        body=CAVAGE["request"]["body"].encode(),
        get_public_key=_keys(_read("cavage-12/test-key.pub.pem")),
        now=CAVAGE_NOW,
    )
    assert code == "bad_digest"


def test_signing_string_joins_repeated_headers_and_unfolds_lines_as_the_draft_shows():
    """draft-cavage-12 section 2.3, the example under "To illustrate the rules"."""
    sig = cavage.CavageSignature(
        "k",
        None,
        (
            "(request-target)",
            "(created)",
            "host",
            "date",
            "cache-control",
            "x-emptyheader",
            "x-example",
        ),
        b"",
        created=1402170695,
    )
    headers = {
        "host": "example.org",
        "date": "Tue, 07 Jun 2014 20:51:35 GMT",
        "x-example": "Example header\n    with some whitespace.",
        "x-emptyheader": "",
        "cache-control": ["max-age=60", "must-revalidate"],
    }
    assert cavage.signing_string(sig, method="GET", target="/foo", headers=headers).decode() == (
        "(request-target): get /foo\n"
        "(created): 1402170695\n"
        "host: example.org\n"
        "date: Tue, 07 Jun 2014 20:51:35 GMT\n"
        "cache-control: max-age=60, must-revalidate\n"
        "x-emptyheader: \n"
        "x-example: Example header with some whitespace."
    )


# --- RFC 9421, Appendix B ------------------------------------------------------------------------


def _message(vector: dict) -> rfc9421.Message:
    source = RFC9421[vector["message"]]
    if "status" in source:
        return rfc9421.Message(source["headers"], status=source["status"])
    target_uri = f"https://{source['headers']['Host']}{source['target']}"
    return rfc9421.Message(source["headers"], method=source["method"], target_uri=target_uri)


@pytest.mark.parametrize("name", ["B.2.1", "B.2.3", "B.2.4", "B.2.6"])
def test_rfc9421_appendix_b_signature_bases_are_rebuilt_and_the_given_signatures_verify(name):
    vector = RFC9421["tests"][name]
    [sig] = rfc9421.parse_signatures(vector["signature_input"], vector["signature"])
    base = rfc9421.signature_base(_message(vector), sig)
    assert base.decode() == vector["signature_base"]
    assert crypto.verifies(
        _read(f"rfc9421/{vector['public_key']}"),
        scheme="rfc9421",
        algorithm=None,
        data=base,
        signature=sig.signature,
    )


def test_rfc9421_ed25519_signing_reproduces_appendix_b26_exactly():
    vector = RFC9421["tests"]["B.2.6"]
    signed = rfc9421.sign(
        _message(vector),
        label="sig-b26",
        components=("date", "@method", "@path", "@authority", "content-type", "content-length"),
        params={"created": 1618884473, "keyid": "test-key-ed25519"},
        private_key_pem=_read("rfc9421/test-key-ed25519.pem"),
    )
    assert rfc9421.header_fields(signed) == {
        "Signature-Input": vector["signature_input"],
        "Signature": vector["signature"],
    }


def _verify_rfc_request(name: str, body: bytes | None = None):
    """verify_request on the RFC's test-request carrying the signature of example ``name``."""
    vector, request = RFC9421["tests"][name], RFC9421["test_request"]
    headers = {
        **request["headers"],
        "Signature-Input": vector["signature_input"],
        "Signature": vector["signature"],
    }
    return verify_request(
        method="POST",
        path=request["target"],
        headers=headers,
        body=request["body"].encode() if body is None else body,
        get_public_key=_keys(_read(f"rfc9421/{vector['public_key']}")),
        now=RFC9421_NOW,
    )


def _rfc_request_code(name: str, body: bytes | None = None) -> str:
    with pytest.raises(SignatureError) as caught:
        _verify_rfc_request(name, body)
    return caught.value.code


def test_rfc9421_full_coverage_request_verifies_end_to_end(settings):
    settings.BASE_URL = "https://example.com"
    verified = _verify_rfc_request("B.2.3")
    assert (verified.key_id, verified.scheme) == ("test-key-rsa-pss", "rfc9421")


def test_rfc9421_minimal_signature_is_refused_because_it_covers_nothing():
    assert _rfc_request_code("B.2.1") == "unsupported"


def test_rfc9421_tampered_body_is_refused_by_its_content_digest(settings):
    settings.BASE_URL = "https://example.com"
    assert _rfc_request_code("B.2.3", body=b'{"hello": "moon!"}') == "bad_digest"


def _ed25519_request(settings, *, params: dict, now: datetime) -> dict:
    """verify_request's arguments for a POST we sign with RFC 9421 and the B.1.4 ed25519 key."""
    settings.BASE_URL = "https://veille.test"
    headers = {
        "Host": "veille.test",
        "Content-Digest": "sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:",  # of b"{}"
    }
    message = rfc9421.Message(headers, method="POST", target_uri="https://veille.test/inbox")
    signed = rfc9421.sign(
        message,
        label="sig1",
        components=("@method", "@target-uri", "content-digest"),
        params=params,
        private_key_pem=_read("rfc9421/test-key-ed25519.pem"),
    )
    return {
        "method": "POST",
        "path": "/inbox",
        "headers": {**headers, **rfc9421.header_fields(signed)},
        "body": b"{}",
        "get_public_key": _keys(_read("rfc9421/test-key-ed25519.pub.pem")),
        "now": now,
    }


def test_rfc9421_ed25519_request_with_content_digest_verifies(settings):
    params = {"created": 1618884473, "keyid": "https://peer.example/a#k"}
    verified = verify_request(**_ed25519_request(settings, params=params, now=RFC9421_NOW))
    assert (verified.actor_uri, verified.scheme) == ("https://peer.example/a", "rfc9421")


def test_rfc9421_expired_signature_is_stale(settings):
    params = {"created": 1618884473, "expires": 1618884474, "keyid": "k"}
    later = RFC9421_NOW + timedelta(seconds=60)
    assert _code(**_ed25519_request(settings, params=params, now=later)) == "stale_date"


def test_rfc9421_request_whose_target_changed_is_refused(settings):
    params = {"created": 1618884473, "keyid": "k"}
    arguments = _ed25519_request(settings, params=params, now=RFC9421_NOW)
    assert _code(**{**arguments, "path": "/topic/toulouse-networks/inbox"}) == "bad_signature"


def test_structured_dictionaries_parse_inner_lists_parameters_and_byte_sequences():
    parsed = structured.parse_dictionary('a=("x" "@y");n=1;s="q\\"t";t=tok;b, sig=:AAEC:;p=?0')
    inner = parsed["a"]
    assert [item.value for item in inner.items] == ["x", "@y"]
    assert inner.params == {"n": 1, "s": 'q"t', "t": "tok", "b": True}
    assert parsed["sig"].value == b"\x00\x01\x02" and parsed["sig"].params == {"p": False}
    assert structured.serialize_inner_list(inner) == '("x" "@y");n=1;s="q\\"t";t=tok;b'


@pytest.mark.parametrize("value", ['a=("x"', "a=:not base64!:", 'a="open', "A=1", "a=1,"])
def test_malformed_structured_fields_are_refused(value):
    with pytest.raises(structured.StructuredError):
        structured.parse_dictionary(value)


# --- our own signatures, and what verify_request refuses -----------------------------------------


def _post(body=b'{"type": "Follow"}', url=INBOX, **headers):
    private_pem, _public_pem = _key_pair()
    return signed_headers(
        method="POST",
        url=url,
        body=body,
        key_id="https://veille.test/topic/t/#main-key",
        private_key_pem=private_pem,
        headers=headers,
    )


def _verify(headers, *, body=b'{"type": "Follow"}', url=INBOX, now=None, keys=None, method="POST"):
    return verify_request(
        method=method,
        path=request_target(url),
        headers=headers,
        body=body,
        get_public_key=keys or _keys(_key_pair()[1]),
        now=now,
    )


def test_signed_post_carries_host_with_port_date_digest_and_a_cavage_signature():
    headers = _post(**{"Content-Type": "application/activity+json"})
    assert headers["Host"] == "peer.example:8443"
    assert headers["Digest"] == "SHA-256=fVZGtwrwBZt50q8S3vzvkc1eYYz3eybgEWhVSLLj4gQ="
    assert headers["Content-Type"] == "application/activity+json"
    assert 'algorithm="rsa-sha256"' in headers["Signature"]
    assert 'headers="(request-target) host date digest"' in headers["Signature"]
    verified = _verify(headers)
    assert (verified.actor_uri, verified.scheme) == ("https://veille.test/topic/t/", "cavage")


def test_signed_get_covers_target_host_and_date_only_and_drops_the_default_port():
    private_pem, _public_pem = _key_pair()
    url = "https://peer.example:443/users/alice?page=1"
    headers = signed_headers(
        method="GET", url=url, body=None, key_id="k", private_key_pem=private_pem
    )
    assert headers["Host"] == "peer.example" and "Digest" not in headers
    assert 'headers="(request-target) host date"' in headers["Signature"]
    assert _verify(headers, body=b"", url=url, method="GET").key_id == "k"


def test_request_target_signs_the_method_lower_cased():
    headers = _post()
    sig = cavage.parse_signature(headers["Signature"])
    lowered = {name.lower(): value for name, value in headers.items()}
    data = cavage.signing_string(
        sig, method="POST", target="/topic/toulouse-networks/inbox", headers=lowered
    )
    assert data.decode().startswith(
        "(request-target): post /topic/toulouse-networks/inbox\nhost: peer.example:8443\n"
    )


def test_header_names_are_matched_whatever_their_case():
    headers = {name.upper(): value for name, value in _post().items()}
    assert _verify(headers).scheme == "cavage"


def test_wrong_digest_is_refused():
    assert _code_of(_post(), body=b'{"type": "Undo"}') == "bad_digest"


def test_digest_header_that_is_not_signed_does_not_protect_the_body():
    headers = _post()
    headers["Signature"] = headers["Signature"].replace("host date digest", "host date")
    assert _code_of(headers) == "bad_digest"


@pytest.mark.parametrize("minutes", [-6, 6])
def test_date_older_or_newer_than_the_allowed_skew_is_stale(minutes):
    now = datetime.now(UTC) + timedelta(minutes=minutes)
    assert _code_of(_post(), now=now) == "stale_date"


def test_date_within_the_allowed_skew_is_accepted():
    assert _verify(_post(), now=datetime.now(UTC) + timedelta(minutes=4)).scheme == "cavage"


def test_unreadable_date_is_stale():
    assert _code_of(_post(Date="yesterday")) == "stale_date"


def test_request_without_signature_is_unsigned():
    headers = _post()
    del headers["Signature"]
    assert _code_of(headers) == "unsigned"


def test_signature_by_another_key_is_refused_after_one_refetch():
    other_private, _other_public = generate_key_pair()
    headers = signed_headers(
        method="POST",
        url=INBOX,
        body=b'{"type": "Follow"}',
        key_id="k",
        private_key_pem=other_private,
    )
    keys = _keys(_key_pair()[1])
    assert _code_of(headers, keys=keys) == "bad_signature"
    assert keys.calls == [("k", False), ("k", True)]


def test_rotated_key_is_refetched_once_and_then_verifies():
    stale_private, stale_public = generate_key_pair()
    keys = _keys(stale_public, _key_pair()[1])
    assert _verify(_post(), keys=keys).scheme == "cavage"
    assert [refresh for _key_id, refresh in keys.calls] == [False, True]


def test_unknown_key_is_refused_without_a_refetch():
    keys = _keys(None)
    assert _code_of(_post(), keys=keys) == "unknown_key"
    assert keys.calls == [("https://veille.test/topic/t/#main-key", False)]


def test_hs2019_is_accepted_as_a_name_for_rsa_sha256():
    headers = _post()
    headers["Signature"] = headers["Signature"].replace(
        'algorithm="rsa-sha256"', 'algorithm="hs2019"'
    )
    assert _verify(headers).scheme == "cavage"


def test_hmac_and_other_algorithms_are_unsupported():
    headers = _post()
    headers["Signature"] = headers["Signature"].replace(
        'algorithm="rsa-sha256"', 'algorithm="hmac-sha256"'
    )
    assert _code_of(headers) == "unsupported"


def test_signature_that_does_not_cover_the_host_is_unsupported():
    headers = _post()
    headers["Signature"] = headers["Signature"].replace(
        "(request-target) host date", "(request-target) date"
    )
    assert _code_of(headers) == "unsupported"


def test_changed_host_breaks_the_signature():
    headers = {**_post(), "Host": "peer.example"}
    assert _code_of(headers) == "bad_signature"


def test_malformed_signature_header_is_a_bad_signature():
    headers = {**_post(), "Signature": 'keyId="k",signature="not base64!"'}
    assert _code_of(headers) == "bad_signature"


def _code_of(headers, **kwargs) -> str:
    with pytest.raises(SignatureError) as caught:
        _verify(headers, **kwargs)
    return caught.value.code
