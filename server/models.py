"""The server's tables: SQLAlchemy 2 declarative models with a constraint naming convention.

Drafts keep the device's signed bytes (`Draft.payload`, `Draft.signature`) unchanged for ever;
edits go into `DraftVersion` rows beside them; approval is recorded on the draft and makes it
immutable. `AuditEvent` rows are append-only (enforced here and by database triggers).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Role = Literal["caseworker", "admin"]
ROLES: tuple[Role, ...] = ("caseworker", "admin")
DraftStatus = Literal["draft", "approved", "discarded"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """A person. Local users have an argon2 `password_hash`; users of the municipality's
    identity provider are matched by (`oidc_issuer`, `oidc_subject`) and have no usable
    password. `deactivated_by_provider` marks a deactivation by the group check at sign-in
    (undone when the group allows them again; an administrator's deactivation is not)."""

    __tablename__ = "users"
    __table_args__ = (Index("ix_users_oidc_subject", "oidc_issuer", "oidc_subject", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    oidc_issuer: Mapped[str | None] = mapped_column(String(255), default=None)
    oidc_subject: Mapped[str | None] = mapped_column(String(255), default=None)
    deactivated_by_provider: Mapped[bool] = mapped_column(Boolean, default=False)

    devices: Mapped[list[Device]] = relationship(
        back_populates="owner", foreign_keys="Device.owner_id"
    )

    @property
    def sign_in(self) -> str:
        """How this user signs in: "oidc" (the identity provider) or "password"."""
        return "oidc" if self.oidc_subject is not None else "password"


class UserSession(Base):
    """A login session; the cookie holds a random token, the table only its keyed hash."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    # The provider's ID token of a single sign-on session (the hint for its logout), else None.
    id_token: Mapped[str | None] = mapped_column(Text, default=None)

    user: Mapped[User] = relationship()


class OidcLogin(Base):
    """A sign-in started at the identity provider and not yet finished (one use, expiring).

    Keyed by the keyed hash of `state` (the raw value is in the browser's cookie and the
    provider's redirect); holds the nonce and the PKCE verifier for the callback.
    """

    __tablename__ = "oidc_logins"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(128))
    code_verifier: Mapped[str] = mapped_column(String(128))
    redirect_uri: Mapped[str] = mapped_column(String(2000))
    next_url: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LoginAttempt(Base):
    """Every login attempt, for throttling repeated failures across all workers."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64), default="")
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EnrollmentCode(Base):
    """A one-time, expiring code an admin issues so a device can enroll for a caseworker."""

    __tablename__ = "enrollment_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), default=None)

    caseworker: Mapped[User] = relationship(foreign_keys=[caseworker_id])


class Device(Base):
    """An enrolled handheld: its Ed25519 public key and the caseworker it belongs to."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    owner: Mapped[User] = relationship(back_populates="devices", foreign_keys=[owner_id])

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class Draft(Base):
    """A signed draft as received. `payload`/`signature` are the device's bytes, never changed.

    `owner_id` is the caseworker the uploading device belonged to: the only person who can
    read it. `status` moves draft → approved (immutable from then on) or discarded.
    """

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_owner_id_received_at", "owner_id", "received_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_ref: Mapped[str] = mapped_column(String(64), index=True)
    case_type: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[str] = mapped_column(String(64))
    catalogue_version: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    discarded_reason: Mapped[str | None] = mapped_column(Text, default=None)

    device: Mapped[Device] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    versions: Mapped[list[DraftVersion]] = relationship(
        back_populates="draft", order_by="DraftVersion.number"
    )

    @property
    def approved(self) -> bool:
        return self.status == "approved"


class DraftVersion(Base):
    """An edit of a draft by its caseworker; number 1 is the first edit (0 is the payload)."""

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drafts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    draft: Mapped[Draft] = relationship(back_populates="versions")


class CatalogueVersion(Base):
    """A published factor catalogue; the newest row is the current one."""

    __tablename__ = "catalogue_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class ServerKey(Base):
    """The server's Ed25519 signing key (catalogue signatures); created by the first migrate."""

    __tablename__ = "server_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    private_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(Base):
    """One audited action: who (user or device), what, when, from where, on which object.

    Append-only: the ORM refuses updates and deletes (server/audit.py) and the database
    refuses them too (triggers created by the first migration).
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_actor_at", "actor_user_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    actor_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), default=None)
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    case_ref: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")


def load_all_models() -> None:
    """Import every module that adds tables to `Base.metadata` (the web view's, if installed)."""
    import importlib

    try:
        importlib.import_module("server.web.models")
    except ModuleNotFoundError as exc:
        if exc.name not in ("server.web", "server.web.models"):
            raise
