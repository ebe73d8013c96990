"""Portal storage: SQLAlchemy Core over SQLite (default) or PostgreSQL, uploads stored by content hash.

Migrations are a documented schema-version table: `MIGRATIONS[i]` brings the
schema from version i to i+1, and every start applies the missing ones in a
transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import sqlalchemy as sa

metadata = sa.MetaData()

schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(120), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
)
campaigns = sa.Table(
    "campaigns", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),  # campaign id, or the file name
    sa.Column("name", sa.Text),
    sa.Column("jurisdiction", sa.String(10)),
)
versions = sa.Table(
    "versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("filename", sa.String(300), nullable=False),
    sa.Column("uploaded_by", sa.String(120), nullable=False),
    sa.Column("uploaded_at", sa.String(32), nullable=False),
    sa.Column("risk_level", sa.String(10), nullable=False),
    sa.Column("risk_score", sa.Integer, nullable=False),
    sa.Column("report_json", sa.Text, nullable=False),  # the JSON report of this version (one campaign)
    sa.Column("status", sa.String(12), nullable=False),  # pending | approved | returned
    sa.Column("approval_json", sa.Text),
)
comments = sa.Table(
    "comments", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
    sa.Column("author", sa.String(120), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)


def _v1(connection) -> None:
    for table in (users, campaigns, versions, comments):
        table.create(connection, checkfirst=True)


def _v2(connection) -> None:
    # plain SQL understood by SQLite and PostgreSQL alike
    connection.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_versions_campaign ON versions (campaign_id)"))
    connection.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_versions_status ON versions (status)"))


MIGRATIONS = [_v1, _v2]
ROLES = ("marketing", "legal", "admin")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Store:
    def __init__(self, data_dir: Path, database_url: str | None = None):
        self.data_dir = Path(data_dir)
        self.blobs = self.data_dir / "uploads"
        self.blobs.mkdir(parents=True, exist_ok=True)
        url = database_url or f"sqlite:///{self.data_dir / 'portal.db'}"
        options = {"connect_args": {"check_same_thread": False, "timeout": 30}} if url.startswith("sqlite") else {}
        self.engine = sa.create_engine(url, future=True, **options)
        if url.startswith("sqlite"):
            @sa.event.listens_for(self.engine, "connect")
            def _pragmas(dbapi, _record):
                cursor = dbapi.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.close()
        self.migrate()

    def migrate(self) -> int:
        with self.engine.begin() as connection:
            schema_version.create(connection, checkfirst=True)
            row = connection.execute(sa.select(schema_version.c.version)).first()
            current = row[0] if row else 0
            for step in MIGRATIONS[current:]:
                step(connection)
            if row is None:
                connection.execute(schema_version.insert().values(version=len(MIGRATIONS)))
            elif current < len(MIGRATIONS):
                connection.execute(schema_version.update().values(version=len(MIGRATIONS)))
        return len(MIGRATIONS)

    # users ---------------------------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str) -> None:
        from argon2 import PasswordHasher

        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < 8:
            raise ValueError("the password must have at least 8 characters")
        with self.engine.begin() as connection:
            if connection.execute(sa.select(users.c.id).where(users.c.name == name)).first():
                raise ValueError(f"user {name} already exists")
            connection.execute(users.insert().values(name=name, role=role,
                                                     password_hash=PasswordHasher().hash(password)))

    def check_password(self, name: str, password: str) -> dict | None:
        from argon2 import PasswordHasher
        from argon2.exceptions import VerificationError, InvalidHashError

        with self.engine.connect() as connection:
            row = connection.execute(sa.select(users).where(users.c.name == name)).mappings().first()
        if row is None:
            PasswordHasher().hash(password)  # same work whether or not the user exists
            return None
        try:
            PasswordHasher().verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            return None
        return {"name": row["name"], "role": row["role"]}

    def user_count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(users)).scalar_one()

    # uploads -------------------------------------------------------------------------------------------
    def save_blob(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.blobs / digest
        if not target.exists():
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
        return digest

    def blob(self, digest: str) -> bytes:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise FileNotFoundError(digest)
        return (self.blobs / digest).read_bytes()

    def record_version(self, key: str, name: str | None, jurisdiction: str | None, digest: str, filename: str,
                       user: str, report: dict) -> tuple[int, bool]:
        """Store an audited upload; (version id, whether it is new). Re-uploading identical bytes of a
        campaign is the same version (not a duplicate)."""
        campaign = report["campaigns"][0]
        with self.engine.begin() as connection:
            row = connection.execute(sa.select(campaigns.c.id).where(campaigns.c.key == key)).first()
            if row is None:
                campaign_id = connection.execute(campaigns.insert().values(
                    key=key, name=name, jurisdiction=jurisdiction)).inserted_primary_key[0]
            else:
                campaign_id = row[0]
                connection.execute(campaigns.update().where(campaigns.c.id == campaign_id).values(
                    name=name, jurisdiction=jurisdiction))
            same = connection.execute(sa.select(versions.c.id).where(
                versions.c.campaign_id == campaign_id, versions.c.sha256 == digest)).first()
            if same:
                return same[0], False
            version_id = connection.execute(versions.insert().values(
                campaign_id=campaign_id, sha256=digest, filename=filename, uploaded_by=user, uploaded_at=now(),
                risk_level=campaign["risk"]["level"], risk_score=int(campaign["risk"]["score"]),
                report_json=json.dumps(report, ensure_ascii=False), status="pending")).inserted_primary_key[0]
            return version_id, True

    def version(self, version_id: int) -> dict | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(versions, campaigns.c.key, campaigns.c.name, campaigns.c.jurisdiction)
                .join(campaigns, versions.c.campaign_id == campaigns.c.id)
                .where(versions.c.id == version_id)).mappings().first()
        return dict(row) if row else None

    def history(self, campaign_id: int) -> list[dict]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(versions).where(versions.c.campaign_id == campaign_id)
                                      .order_by(versions.c.id)).mappings().all()
        return [dict(r) for r in rows]

    def campaign_list(self) -> list[dict]:
        latest = sa.select(versions.c.campaign_id, sa.func.max(versions.c.id).label("latest")) \
            .group_by(versions.c.campaign_id).subquery()
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(campaigns, versions.c.id.label("version_id"), versions.c.risk_level, versions.c.status,
                          versions.c.uploaded_at)
                .join(latest, latest.c.campaign_id == campaigns.c.id)
                .join(versions, versions.c.id == latest.c.latest)
                .order_by(versions.c.id.desc())).mappings().all()
        return [dict(r) for r in rows]

    def queue(self, risk: str | None = None, jurisdiction: str | None = None) -> list[dict]:
        latest = sa.select(versions.c.campaign_id, sa.func.max(versions.c.id).label("latest")) \
            .group_by(versions.c.campaign_id).subquery()
        query = (sa.select(versions, campaigns.c.key, campaigns.c.name, campaigns.c.jurisdiction)
                 .join(campaigns, versions.c.campaign_id == campaigns.c.id)
                 .join(latest, versions.c.id == latest.c.latest)
                 .where(versions.c.status == "pending"))
        if risk:
            query = query.where(versions.c.risk_level == risk)
        if jurisdiction:
            query = query.where(campaigns.c.jurisdiction == jurisdiction)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(versions.c.id.desc())).mappings().all()
        return [dict(r) for r in rows]

    def decide(self, version_id: int, status: str, approval: dict | None = None) -> None:
        with self.engine.begin() as connection:
            connection.execute(versions.update().where(versions.c.id == version_id).values(
                status=status, approval_json=json.dumps(approval, ensure_ascii=False) if approval else None))

    def comment(self, version_id: int, author: str, role: str, text: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(comments.insert().values(version_id=version_id, author=author, role=role,
                                                        text=text, created_at=now()))

    def comments_for(self, version_id: int) -> list[dict]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(comments).where(comments.c.version_id == version_id)
                                      .order_by(comments.c.id)).mappings().all()
        return [dict(r) for r in rows]
