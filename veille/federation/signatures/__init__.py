"""HTTP Signatures: we sign with draft-cavage-12, and verify draft-cavage-12 and RFC 9421.

No HTTP-signature library: the signing strings and signature bases are built here, the keys and
algorithms come from the ``cryptography`` package. See docs/federation.md.

- ``signed_headers(...)``: the headers of an outgoing request (Host, Date, Digest, Signature).
- ``verify_request(...)``: check an incoming request; raises SignatureError with a ``code``.
"""

from veille.federation.signatures.common import SignatureError, VerifiedRequest
from veille.federation.signatures.incoming import verify_request
from veille.federation.signatures.outgoing import signed_headers

__all__ = ["SignatureError", "VerifiedRequest", "signed_headers", "verify_request"]
