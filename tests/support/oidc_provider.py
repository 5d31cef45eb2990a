"""A real OpenID Connect provider on 127.0.0.1 for the tests, built from authlib's server side.

The municipality's own provider (Entra ID, Keycloak, ADFS) is the one edge the tests cannot
reach, so the test run serves its own: authlib's `AuthorizationServer` with the authorization
code grant, PKCE (`CodeChallenge`, S256 required), OpenID Connect (`OpenIDCode`: signed ID
tokens with nonce, acr, amr, at_hash) and RP-initiated logout (`EndSessionEndpoint`), a fresh
2048-bit RSA key, and real discovery and JWKS documents, all on Starlette served by uvicorn in
a thread of the test process (so tests can change its users and misbehave on purpose).

* `OidcProvider.start(client_id, client_secret)`; `.issuer`; `.stop()`; `with .down():`
  closes the port for a while (the provider becomes unreachable), then serves again.
* `.users[name] = ProviderUser(...)`: who can sign in, with which groups, acr and amr.
* `.tamper_next(aud=..., expired=True, nonce=..., foreign_key=True)`: the next ID token is
  issued for another audience, already expired, with another nonce, or signed by a key
  that is not in the JWKS (under the published key's id). Everything else stays correct,
  so exactly that check must refuse it. `.rotate_key()` replaces the signing key and its
  id, as a provider's key rotation does (`.jwks_requests` counts reads of the JWKS).
* The login page is a plain HTML form (`Användarnamn`, `Lösenord`, button `Logga in hos
  IdP`); `sign_in(http, url, user)` drives it without a browser. A provider session cookie
  gives single sign-on until the end-session endpoint ends it (`.logouts` records those).
"""

from __future__ import annotations

import contextlib
import html
import json
import secrets
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import httpx
import uvicorn
from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from authlib.oidc.rpinitiated import EndSessionEndpoint
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

SESSION_COOKIE = "idp_session"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ProviderUser:
    username: str
    password: str
    name: str
    groups: list[str]
    sub: str = field(default_factory=lambda: "sub-" + secrets.token_hex(8))
    acr: str | None = None
    amr: list[str] = field(default_factory=lambda: ["pwd"])


@dataclass
class Client(ClientMixin):  # type: ignore[misc]
    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)
    post_logout_redirect_uris: list[str] = field(default_factory=list)

    @property
    def client_metadata(self) -> dict[str, Any]:
        return {"post_logout_redirect_uris": self.post_logout_redirect_uris}

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "profile", "email"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthCode(AuthorizationCodeMixin):  # type: ignore[misc]
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: ProviderUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return self.user.acr

    def get_amr(self) -> list[str]:
        return self.user.amr


class _Request(OAuth2Request):  # type: ignore[misc]
    """An authlib request from a Starlette request whose form has already been read."""

    def __init__(self, request: Request, form: dict[str, str]) -> None:
        super().__init__(request.method, str(request.url), headers=request.headers)
        self._args = dict(request.query_params)
        self._form = form
        merged = {**self._args, **form}
        self.payload = BasicOAuth2Payload(merged)
        datalist: dict[str, list[str]] = defaultdict(list)
        for key, value in [*request.query_params.multi_items(), *form.items()]:
            datalist[key].append(value)
        self.payload._datalist = datalist

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class OidcProvider:
    """One running provider; see the module docstring."""

    def __init__(self, client_id: str, client_secret: str) -> None:
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client = Client(client_id, client_secret)
        self.kid = "test-key-1"
        self.key = RSAKey.generate_key(2048, parameters={"kid": self.kid, "use": "sig"})
        self.foreign_key = RSAKey.generate_key(2048)
        self.users: dict[str, ProviderUser] = {}
        self.codes: dict[str, AuthCode] = {}
        self.sessions: dict[str, str] = {}
        self.logouts: list[dict[str, Any]] = []
        self.token_requests = 0
        self.jwks_requests = 0
        self._tamper: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.server = self._authorization_server()
        self.app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize, methods=["GET", "POST"]),
                Route("/token", self._token, methods=["POST"]),
                Route("/logout", self._logout, methods=["GET", "POST"]),
            ]
        )
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # ---- set-up
    @classmethod
    def start(cls, client_id: str, client_secret: str) -> OidcProvider:
        provider = cls(client_id, client_secret)
        provider._serve()
        return provider

    def register_client_urls(self, fredag_base: str) -> None:
        """Allow Fredag at `fredag_base` as redirect and post-logout target."""
        self.client.redirect_uris.append(fredag_base + "/oidc/callback")
        self.client.post_logout_redirect_uris.append(fredag_base + "/logga-in")

    def add_user(self, username: str, groups: list[str], **kwargs: Any) -> ProviderUser:
        user = ProviderUser(
            username=username,
            password=kwargs.pop("password", f"{username}-idp-password"),
            name=kwargs.pop("name", username.title()),
            groups=groups,
            **kwargs,
        )
        self.users[username] = user
        return user

    def rotate_key(self) -> None:
        """A new signing key with a new key id; the JWKS serves only the new one from now on."""
        self.kid = f"test-key-{int(self.kid.rsplit('-', 1)[1]) + 1}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": self.kid, "use": "sig"})

    def tamper_next(self, **changes: Any) -> None:
        """Faults for the next ID token: aud=..., expired=True, nonce=..., foreign_key=True."""
        with self._lock:
            self._tamper = dict(changes)

    def _take_tamper(self) -> dict[str, Any]:
        with self._lock:
            taken, self._tamper = self._tamper, {}
        return taken

    def _serve(self) -> None:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._uvicorn.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test OpenID Connect provider did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._uvicorn is not None and self._thread is not None:
            self._uvicorn.should_exit = True
            self._thread.join(timeout=20)
        self._uvicorn = None

    @contextlib.contextmanager
    def down(self) -> Iterator[None]:
        """The provider's port is closed inside the block (unreachable), open again after."""
        self.stop()
        try:
            yield
        finally:
            self._serve()

    # ---- authlib server side
    def _authorization_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):  # type: ignore[misc]
            def query_client(self, client_id: str) -> Client | None:
                return provider.client if client_id == provider.client.client_id else None

            def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
                return None

            def create_oauth2_request(self, request: Any) -> OAuth2Request:
                return request

            def create_json_request(self, request: Any) -> Any:
                return request

            def handle_response(self, status: int, body: Any, headers: Any) -> Response:
                content = json.dumps(body) if isinstance(body, dict) else (body or "")
                return Response(content, status_code=status, headers=dict(headers))

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                return None

        class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
            TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [
                "client_secret_basic",
                "client_secret_post",
            ]

            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                data = request.payload.data
                provider.codes[code] = AuthCode(
                    code=code,
                    client_id=request.client.get_client_id(),
                    redirect_uri=data.get("redirect_uri", ""),
                    scope=request.scope or data.get("scope", ""),
                    user=request.user,
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                    auth_time=int(time.time()),
                )

            def query_authorization_code(self, code: str, client: Client) -> AuthCode | None:
                item = provider.codes.get(code)
                return item if item and item.client_id == client.get_client_id() else None

            def delete_authorization_code(self, authorization_code: AuthCode) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: AuthCode) -> ProviderUser:
                return authorization_code.user

        class OpenID(OpenIDCode):  # type: ignore[misc]
            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return False

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                tamper = getattr(self, "_current_tamper", {})
                return provider.foreign_key if tamper.get("foreign_key") else provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": provider.kid}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                self._current_tamper = provider._take_tamper()
                tamper = self._current_tamper
                now = int(time.time())
                claims: dict[str, Any] = {
                    "iss": provider.issuer,
                    "aud": [tamper.get("aud", client.get_client_id())],
                }
                if tamper.get("expired"):
                    claims["iat"] = now - 7200
                    claims["exp"] = now - 3600
                return claims

            def get_authorization_code_claims(self, authorization_code: AuthCode) -> Any:
                claims = super().get_authorization_code_claims(authorization_code)
                tamper = getattr(self, "_current_tamper", {})
                if "nonce" in tamper:
                    claims["nonce"] = tamper["nonce"]
                return claims

            def generate_user_info(self, user: ProviderUser, scope: str) -> UserInfo:
                return UserInfo(
                    sub=user.sub,
                    name=user.name,
                    preferred_username=user.username,
                    groups=list(user.groups),
                )

        class EndSession(EndSessionEndpoint):  # type: ignore[misc]
            def get_server_jwks(self) -> KeySet:
                return KeySet([provider.key])

            def end_session(self, end_session_request: Any) -> None:
                request = end_session_request.request
                cookie = request._session_cookie
                user = provider.sessions.pop(cookie, None) if cookie else None
                provider.logouts.append(
                    {"user": user, "claims": end_session_request.id_token_claims}
                )

        server = Server(scopes_supported=["openid", "profile", "email"])
        server.register_token_generator(
            "default",
            BearerTokenGenerator(lambda *args, **kwargs: generate_token(42)),
        )
        server.register_grant(CodeGrant, [CodeChallenge(required=True), OpenID(require_nonce=True)])
        server.register_endpoint(EndSession)
        return server

    # ---- routes
    async def _discovery(self, _request: Request) -> Response:
        base = self.issuer
        return JSONResponse(
            {
                "issuer": base,
                "authorization_endpoint": base + "/authorize",
                "token_endpoint": base + "/token",
                "jwks_uri": base + "/jwks",
                "end_session_endpoint": base + "/logout",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "scopes_supported": ["openid", "profile", "email"],
                "claims_supported": ["sub", "name", "preferred_username", "groups", "acr", "amr"],
            }
        )

    async def _jwks(self, _request: Request) -> Response:
        self.jwks_requests += 1
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    async def _form(self, request: Request) -> dict[str, str]:
        if request.method != "POST":
            return {}
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}

    def _login_page(self, request: Request, error: str = "") -> Response:
        action = "/authorize?" + urlencode(list(request.query_params.multi_items()))
        body = f"""<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>Testkommunens inloggning</title></head><body>
<h1>Testkommunens inloggning</h1>
{f'<p role="alert">{html.escape(error)}</p>' if error else ""}
<form method="post" action="{html.escape(action)}">
<label for="u">Användarnamn</label><input id="u" name="username">
<label for="p">Lösenord</label><input id="p" name="password" type="password">
<button type="submit">Logga in hos IdP</button></form></body></html>"""
        return HTMLResponse(body, status_code=401 if error else 200)

    async def _authorize(self, request: Request) -> Response:
        form = await self._form(request)
        oreq = _Request(request, form)
        try:
            grant = self.server.get_consent_grant(oreq)
        except OAuth2Error as error:
            return HTMLResponse(f"<p>{html.escape(error.error)}</p>", status_code=400)
        cookie = request.cookies.get(SESSION_COOKIE, "")
        user = self.users.get(self.sessions.get(cookie, ""))
        new_cookie = None
        if request.method == "POST":
            candidate = self.users.get(form.get("username", ""))
            if candidate is None or not secrets.compare_digest(
                candidate.password, form.get("password", "")
            ):
                return self._login_page(request, "Fel användarnamn eller lösenord.")
            user = candidate
            new_cookie = secrets.token_urlsafe(24)
            self.sessions[new_cookie] = user.username
        if user is None:
            return self._login_page(request)
        response: Response = self.server.create_authorization_response(
            oreq, grant_user=user, grant=grant
        )
        if new_cookie:
            response.set_cookie(SESSION_COOKIE, new_cookie, httponly=True, samesite="lax")
        return response

    async def _token(self, request: Request) -> Response:
        self.token_requests += 1
        form = await self._form(request)
        response: Response = self.server.create_token_response(_Request(request, form))
        return response

    async def _logout(self, request: Request) -> Response:
        form = await self._form(request)
        oreq = _Request(request, form)
        oreq._session_cookie = request.cookies.get(SESSION_COOKIE, "")
        response = self.server.create_endpoint_response("end_session", oreq)
        if response is None:
            response = HTMLResponse("<p>Du är utloggad från testkommunens inloggning.</p>")
        response.delete_cookie(SESSION_COOKIE)
        return response


@dataclass
class SignIn:
    """What a browser-less sign-in ended with: the last response and the callback URL used."""

    response: httpx.Response
    callback_url: str | None


def sign_in(
    http: httpx.Client, fredag_base: str, user: ProviderUser | None, *, password: str = ""
) -> SignIn:
    """Sign in to Fredag through the provider like a browser would, without a browser.

    Follows Fredag's redirect to the provider, posts the login form there (unless the
    provider session already knows the user), follows the provider's redirect back to
    Fredag's callback and returns Fredag's answer to it (not followed further).
    `http` must keep cookies for both hosts (one httpx.Client does).
    """
    start = http.get(fredag_base + "/oidc/login", follow_redirects=False)
    if start.status_code != 303:
        return SignIn(start, None)
    authorize_url = start.headers["location"]
    page = http.get(authorize_url, follow_redirects=False)
    if page.status_code == 200 and user is not None:
        page = http.post(
            authorize_url,
            data={"username": user.username, "password": password or user.password},
            follow_redirects=False,
        )
    if page.status_code != 302:
        return SignIn(page, None)
    callback = urljoin(authorize_url, page.headers["location"])
    return SignIn(http.get(callback, follow_redirects=False), callback)


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


# ---- how the tests configure Fredag against this provider
CLIENT_ID = "fredag-test"
CLIENT_SECRET = "fredag-test-client-secret-0123456789"
CASEWORKER_GROUP = "fredag-handlaggare"
ADMIN_GROUP = "fredag-admin"
HIGH_ACR = "urn:test:loa:high"
DISPLAY_NAME = "Testkommunen"


def fredag_env(provider: OidcProvider, **extra: str) -> dict[str, str]:
    """FREDAG_* settings for a Fredag server signing in through `provider`."""
    return {
        "FREDAG_OIDC_ISSUER": provider.issuer,
        "FREDAG_OIDC_CLIENT_ID": CLIENT_ID,
        "FREDAG_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "FREDAG_OIDC_CASEWORKER_VALUES": CASEWORKER_GROUP,
        "FREDAG_OIDC_ADMIN_VALUES": ADMIN_GROUP,
        "FREDAG_OIDC_DISPLAY_NAME": DISPLAY_NAME,
        **extra,
    }
