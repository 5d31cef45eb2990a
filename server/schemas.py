"""Request and response bodies of the JSON API: separate Create / Update / Public shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from fredag.protocol import SignedEnvelope

Username = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")]
Password = Annotated[str, Field(min_length=1, max_length=1024)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# ---- errors
class FieldError(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    """Every refusal: a message for people and a stable code for programs."""

    detail: str
    code: str
    status: int
    errors: list[FieldError] | None = Field(None, description="Per-field problems (422).")


# ---- people
class LoginRequest(_In):
    username: Annotated[str, Field(min_length=1, max_length=200)]
    password: Password


class UserCreate(_In):
    username: Username
    password: Annotated[str, Field(min_length=10, max_length=1024)]
    role: Literal["caseworker", "admin"]
    full_name: Annotated[str, Field(max_length=200)] = ""


class UserUpdate(_In):
    full_name: Annotated[str | None, Field(max_length=200)] = None
    is_active: bool | None = None


class UserPublic(_Out):
    id: int
    username: str
    full_name: str
    role: str
    is_active: bool
    created_at: datetime
    sign_in: str = Field("password", description='"oidc" (identity provider) or "password".')


class LoginResponse(BaseModel):
    user: UserPublic
    csrf_token: str = Field(description="Send back as the X-CSRF-Token header on changes.")


# ---- devices
class EnrollmentCodeCreate(_In):
    caseworker: Username = Field(description="User name of the caseworker the device is for.")
    valid_minutes: Annotated[float | None, Field(gt=0, le=7 * 24 * 60)] = None


class EnrollmentCodePublic(BaseModel):
    code: str = Field(description="Shown once; give it to the device (`fredag device enroll`).")
    caseworker: str
    expires_at: datetime


class EnrollRequest(_In):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    public_key: Annotated[
        str,
        Field(
            min_length=40,
            max_length=100,
            description="Raw 32-byte Ed25519 public key as base64url (padding optional) or hex.",
        ),
    ]
    name: Annotated[str, Field(max_length=200)] = ""


class ServerKeyPublic(BaseModel):
    key_id: str
    alg: Literal["Ed25519"] = "Ed25519"
    public_key: str = Field(description="Raw 32-byte Ed25519 public key, base64url.")


class EnrollResponse(BaseModel):
    device_id: int
    key_id: str
    caseworker: str
    caseworker_name: str = Field(
        "", description="The caseworker's full name: who a draft names as Handläggare."
    )
    server_key: ServerKeyPublic


class DevicePublic(_Out):
    id: int
    key_id: str
    name: str
    owner_id: int
    enrolled_at: datetime
    revoked_at: datetime | None


# ---- sync
class UploadResult(BaseModel):
    draft_id: uuid.UUID
    duplicate: bool = Field(description="True when this draft was already stored earlier.")
    received_at: datetime
    payload_sha256: str


class CataloguePublic(BaseModel):
    version: str
    sha256: str = Field(description="sha256 of the canonical catalogue JSON (not the envelope).")
    published_at: datetime
    envelope: SignedEnvelope
    server_key: ServerKeyPublic


class CataloguePublish(_In):
    version: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    catalogue: dict[str, Any]


class CatalogueVersionPublic(_Out):
    version: str
    sha256: str
    published_at: datetime


# ---- drafts (caseworker)
class DraftSummary(_Out):
    id: uuid.UUID
    case_ref: str
    case_type: str
    created_at: datetime
    received_at: datetime
    status: str
    device_id: int


class DraftPublic(DraftSummary):
    payload_sha256: str
    key_id: str
    catalogue_version: str
    draft: dict[str, Any] = Field(description="The signed draft as the device sent it.")


# ---- audit (admin)
class AuditEventPublic(_Out):
    id: int
    at: datetime
    actor: str
    actor_user_id: int | None
    actor_device_id: int | None
    action: str
    object_type: str
    object_id: str
    case_ref: str | None
    ip: str
    detail: str
