"""What devices call: enroll, upload signed drafts, report security events, download the
signed catalogue."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from fredag.protocol import SignedEnvelope
from server import catalogue, device_events, devices, keys
from server.deps import ClientIP, SessionDep, SettingsDep
from server.device_events import SecurityEventsResult
from server.errors import ApiError
from server.ingest import Ingested, ingest
from server.schemas import (
    CataloguePublic,
    EnrollRequest,
    EnrollResponse,
    ServerKeyPublic,
    UploadResult,
)

router = APIRouter(tags=["sync"])


def _server_key(db: SessionDep) -> ServerKeyPublic:
    row, _private = keys.current_key(db)
    return ServerKeyPublic(key_id=row.key_id, public_key=keys.public_key_b64(row))


@router.post(
    "/devices/enroll",
    status_code=201,
    response_model=EnrollResponse,
)
def enroll(
    body: EnrollRequest, db: SessionDep, settings: SettingsDep, ip: ClientIP
) -> EnrollResponse:
    """Register a device's Ed25519 public key with a one-time enrollment code."""
    device = devices.enroll(db, settings, body.code, body.public_key, body.name, ip)
    server_key = _server_key(db)
    db.commit()
    return EnrollResponse(
        device_id=device.id,
        key_id=device.key_id,
        caseworker=device.owner.username,
        caseworker_name=device.owner.full_name or device.owner.username,
        server_key=server_key,
    )


@router.post(
    "/drafts",
    status_code=201,
    response_model=UploadResult,
    responses={200: {"description": "already stored (duplicate)", "model": UploadResult}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SignedEnvelope.model_json_schema()}},
        }
    },
)
async def upload_draft(request: Request, ip: ClientIP, response: Response) -> UploadResult:
    """Upload one signed draft. 201 when stored, 200 with duplicate=true when already stored."""
    # The size limit is enforced while reading by the app's BodySizeLimit middleware.
    body = await request.body()
    result = await run_in_threadpool(_ingest, request.app.state.sessionmaker, body, ip)
    if result.duplicate:
        response.status_code = 200
    return UploadResult(
        draft_id=result.draft_id,
        duplicate=result.duplicate,
        received_at=result.received_at,
        payload_sha256=result.payload_sha256,
    )


def _ingest(factory: sessionmaker[Session], body: bytes, ip: str) -> Ingested:
    """One session for the whole upload, in one thread-pool hop."""
    with factory() as session:
        return ingest(session, body, ip)


@router.post(
    "/devices/security-events",
    response_model=SecurityEventsResult,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SignedEnvelope.model_json_schema()}},
        }
    },
)
async def report_security_events(request: Request, ip: ClientIP) -> SecurityEventsResult:
    """A device's security events (wrong passphrases, a wipe, key changes), signed by it."""
    body = await request.body()
    return await run_in_threadpool(_report, request.app.state.sessionmaker, body, ip)


def _report(factory: sessionmaker[Session], body: bytes, ip: str) -> SecurityEventsResult:
    with factory() as session:
        result = device_events.report(session, body, ip)
        session.commit()
        return result


@router.get("/catalogue", response_model=CataloguePublic)
def get_catalogue(db: SessionDep) -> CataloguePublic:
    """The current factor catalogue with its version, signed by the server's key."""
    row = catalogue.current(db)
    if row is None:
        raise ApiError(404, "no_catalogue", "no catalogue has been published yet")
    return CataloguePublic(
        version=row.version,
        sha256=row.sha256,
        published_at=row.published_at,
        envelope=catalogue.signed(db, row),
        server_key=_server_key(db),
    )


@router.get("/server-key", response_model=ServerKeyPublic)
def server_key(db: SessionDep) -> ServerKeyPublic:
    """The server's Ed25519 public key (devices also get it when they enroll)."""
    return _server_key(db)
