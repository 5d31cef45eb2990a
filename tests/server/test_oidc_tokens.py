"""ID-token checks that a well-behaved test provider never provokes, on crafted tokens.

The tokens are made here with joserfc and a real RSA key and handed to
`server.oidc.verify_id_token` as the token endpoint's answer would be: no network.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from fredag.protocol import b64url_encode

ISSUER = "https://idp.kommun.example/realms/kommun"
CLIENT = "fredag"
NONCE = "the-nonce"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})


def _settings() -> Any:
    from server.config import ServerSettings

    return ServerSettings(
        secret_key="s" * 40,
        oidc_issuer=ISSUER,
        oidc_client_id=CLIENT,
        oidc_client_secret="client-secret",
        oidc_caseworker_values=("handlaggare",),
    )


def _meta() -> Any:
    from server.oidc import ProviderMetadata

    return ProviderMetadata(
        issuer=ISSUER,
        authorization_endpoint=ISSUER + "/auth",
        token_endpoint=ISSUER + "/token",
        jwks_uri=ISSUER + "/certs",
        end_session_endpoint=None,
        algorithms=("RS256",),
        keys=KeySet([KEY]).as_dict(private=False),
    )


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "s1", "aud": CLIENT, "iat": now, "exp": now + 300}
    claims["nonce"] = NONCE
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(**changes: Any) -> str:
    return jwt.encode({"alg": "RS256", "kid": "k1"}, _claims(**changes), KEY)


def _b64(data: dict[str, Any]) -> str:
    return b64url_encode(json.dumps(data).encode())


def _reason(token: str) -> str:
    from server.oidc import OidcFailure, verify_id_token

    with pytest.raises(OidcFailure) as failure:
        verify_id_token(_settings(), _meta(), token, nonce=NONCE, access_token=None)
    return failure.value.reason


class TestCraftedTokens:
    def test_a_good_token_passes(self) -> None:
        """The reference token verifies (so each refusal below is about its one change)."""
        from server.oidc import verify_id_token

        claims = verify_id_token(_settings(), _meta(), _signed(), nonce=NONCE, access_token=None)
        assert claims["sub"] == "s1"

    def test_unsigned_token_is_refused(self) -> None:
        """An unsigned token (alg none) is refused whatever it claims."""
        token = f"{_b64({'alg': 'none'})}.{_b64(_claims())}."
        assert _reason(token) == "invalid_token"

    def test_hmac_with_the_public_key_is_refused(self) -> None:
        """The algorithm-confusion trick (HS256 keyed with the public key) is refused."""
        signing_input = f"{_b64({'alg': 'HS256', 'kid': 'k1'})}.{_b64(_claims())}"
        mac = hmac.new(KEY.as_pem(private=False), signing_input.encode(), hashlib.sha256)
        signature = b64url_encode(mac.digest())
        assert _reason(f"{signing_input}.{signature}") == "invalid_token"

    @pytest.mark.parametrize(
        ("changes", "reason"),
        [
            ({"iss": "https://evil.example"}, "issuer"),
            ({"aud": ["fredag", "other"]}, "audience"),  # several audiences and no azp
            ({"aud": "fredag", "azp": "other"}, "audience"),
            ({"nonce": None}, "nonce"),
            ({"exp": int(time.time()) - 3600}, "expired"),
            ({"sub": None}, "invalid_token"),
        ],
    )
    def test_claim_problems_are_named(self, changes: dict[str, Any], reason: str) -> None:
        """Each failing claim is refused with its own reason (the page and audit row say it)."""
        assert _reason(_signed(**changes)) == reason
