"""Portal storage: SQLAlchemy Core over SQLite (default) or PostgreSQL, uploads stored by content hash.

Migrations are a documented schema-version table: `MIGRATIONS[i]` brings the
schema from version i to i+1, and every start applies the missing ones in a
transaction, under a lock (a file lock in the data folder, and an advisory
lock on PostgreSQL) so that two servers starting together do not race.

The data folder is created 0700 and every file in it 0600 (the database, its
journals, uploads, the secret key), created with those modes rather than
chmod-ed afterwards.

`events` is the append-only audit log of decisions (uploads, approvals,
sending back, account changes): the store only ever inserts into it, and a
database trigger refuses any UPDATE or DELETE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import unicodedata
from contextlib import contextmanager
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
    # v3: bumped on logout, password change and disabling: every session of the user ends
    sa.Column("generation", sa.Integer, nullable=False, server_default="0"),
    sa.Column("disabled", sa.Integer, nullable=False, server_default="0"),
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


login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("key", sa.String(200), primary_key=True),  # "user:NAME" or "addr:ADDRESS"
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False),
    sa.Column("locked_until", sa.Float, nullable=False),
)
events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("campaign_id", sa.Integer),
    sa.Column("version_id", sa.Integer),
    sa.Column("detail", sa.Text, nullable=False),
)
_V1_TABLES = ("users", "campaigns", "versions", "comments")


def _v1(connection) -> None:
    for table in (users, campaigns, versions, comments):
        table.create(connection, checkfirst=True)


def _v2(connection) -> None:
    # plain SQL understood by SQLite and PostgreSQL alike
    connection.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_versions_campaign ON versions (campaign_id)"))
    connection.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_versions_status ON versions (status)"))


def _v3(connection) -> None:
    """Revocable sessions, disabled accounts, login throttling, the append-only audit log."""
    present = {c["name"] for c in sa.inspect(connection).get_columns("users")}
    for column in ("generation", "disabled"):
        if column not in present:
            connection.execute(sa.text(f"ALTER TABLE users ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0"))
    login_failures.create(connection, checkfirst=True)
    events.create(connection, checkfirst=True)
    connection.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_events_campaign ON events (campaign_id)"))
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(
            "CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql"))
        connection.execute(sa.text("DROP TRIGGER IF EXISTS events_no_change ON events"))
        connection.execute(sa.text("CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events "
                                   "FOR EACH ROW EXECUTE FUNCTION events_append_only()"))
    else:
        for verb in ("UPDATE", "DELETE"):
            connection.execute(sa.text(
                f"CREATE TRIGGER IF NOT EXISTS events_no_{verb.lower()} BEFORE {verb} ON events "
                f"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"))


MIGRATIONS = [_v1, _v2, _v3]
ROLES = ("marketing", "legal", "admin")


# Login throttling: after this many failures in a row an account (or, for all accounts together, an
# address) waits 1, 2, 4 … seconds (at most LOCK_MAX) before the next attempt is even checked. A
# quiet FORGET seconds forgets the failures.
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
LOCK_MAX = 15 * 60
FORGET = 15 * 60
MAX_NAME_BYTES = 200  # stored file names, in UTF-8 bytes (file systems allow 255, columns 300)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def private_dir(path: Path) -> None:
    """A folder only its owner can enter (0700), created so; an existing one is tightened."""
    path = Path(path)
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
    if path.stat().st_mode & 0o077 and path.stat().st_uid == os.geteuid():
        os.chmod(path, 0o700)


def private_file(path: Path, data: bytes | None = None) -> bool:
    """Create a file 0600 (never readable by others, not even for an instant); False if it existed."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        if data:
            handle.write(data)
    return True


def clean_filename(filename: str) -> str:
    """The name an upload is stored and shown under: its last path part, without control characters
    (NUL breaks PostgreSQL), NFC, at most MAX_NAME_BYTES UTF-8 bytes, cut in the stem so that the
    suffix (which says how to read the file) is kept."""
    name = unicodedata.normalize("NFC", str(filename)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".") or "campaign"
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix.encode("utf-8")) > 10:
        stem, suffix = name, ""
    tail = f".{suffix}" if suffix else ""
    room = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    encoded = stem.encode("utf-8")
    if len(encoded) > room:
        stem = encoded[:room].decode("utf-8", "ignore").rstrip() or "campaign"
    return stem + tail


def clean_text(text: str) -> str:
    """Text any database stores: no NUL (PostgreSQL refuses it in text columns)."""
    return str(text).replace("\x00", "\ufffd")


class Store:
    def __init__(self, data_dir: Path, database_url: str | None = None):
        self.data_dir = Path(data_dir)
        private_dir(self.data_dir)
        self.blobs = self.data_dir / "uploads"
        private_dir(self.blobs)
        self.clock = time.time  # replaced in tests
        if database_url is None:
            # created 0600 before SQLite opens it; SQLite gives its journals the database's mode
            private_file(self.data_dir / "portal.db")
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

    @contextmanager
    def _migration_lock(self):
        """One migrating server at a time: an exclusive lock on a file of the data folder (enough for
        SQLite and for servers sharing the folder), plus an advisory lock on PostgreSQL."""
        import fcntl

        lock_path = self.data_dir / "migrate.lock"
        private_file(lock_path)
        with open(lock_path, "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def migrate(self) -> int:
        with self._migration_lock(), self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(4242019)"))
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
    def add_user(self, name: str, role: str, password: str, actor: str = "command line") -> None:
        from argon2 import PasswordHasher

        from auditor.portal.accounts import check_name, check_password_strength

        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        check_name(name)
        check_password_strength(password, name)
        with self.engine.begin() as connection:
            if connection.execute(sa.select(users.c.id).where(users.c.name == name)).first():
                raise ValueError(f"user {name} already exists")
            connection.execute(users.insert().values(name=name, role=role, generation=0, disabled=0,
                                                     password_hash=PasswordHasher().hash(password)))
            self._log(connection, actor, "account added", detail=f"{name} ({role})")

    def set_password(self, name: str, password: str, actor: str = "command line") -> None:
        """A new password; every session of the account ends."""
        from argon2 import PasswordHasher

        from auditor.portal.accounts import check_password_strength

        check_password_strength(password, name)
        with self.engine.begin() as connection:
            done = connection.execute(users.update().where(users.c.name == name).values(
                password_hash=PasswordHasher().hash(password), generation=users.c.generation + 1))
            if not done.rowcount:
                raise ValueError(f"no user {name}")
            self._log(connection, actor, "password changed", detail=name)

    def set_disabled(self, name: str, disabled: bool, actor: str = "command line") -> None:
        with self.engine.begin() as connection:
            done = connection.execute(users.update().where(users.c.name == name).values(
                disabled=1 if disabled else 0, generation=users.c.generation + 1))
            if not done.rowcount:
                raise ValueError(f"no user {name}")
            self._log(connection, actor, "account disabled" if disabled else "account enabled", detail=name)

    def end_sessions(self, user_id: int) -> None:
        """Logout: every session of the user ends (the per-user generation moves on)."""
        with self.engine.begin() as connection:
            connection.execute(users.update().where(users.c.id == user_id).values(
                generation=users.c.generation + 1))

    def user_list(self) -> list[dict]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(users.c.name, users.c.role, users.c.disabled)
                                      .order_by(users.c.name)).mappings().all()
        return [dict(r) for r in rows]

    def session_user(self, user_id, generation) -> dict | None:
        """The account of a session, if the session is still valid: the account exists, is enabled
        and its generation is the session's (checked on every request)."""
        if not isinstance(user_id, int) or not isinstance(generation, int):
            return None
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(users.c.id, users.c.name, users.c.role, users.c.generation,
                                               users.c.disabled).where(users.c.id == user_id)).mappings().first()
        if row is None or row["disabled"] or row["generation"] != generation:
            return None
        return {"id": row["id"], "name": row["name"], "role": row["role"], "generation": row["generation"]}

    def check_password(self, name: str, password: str) -> dict | None:
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        with self.engine.connect() as connection:
            row = connection.execute(sa.select(users).where(users.c.name == name)).mappings().first()
        if row is None:
            PasswordHasher().hash(password)  # same work whether or not the user exists
            return None
        try:
            PasswordHasher().verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            return None
        if row["disabled"]:
            return None
        return {"id": row["id"], "name": row["name"], "role": row["role"], "generation": row["generation"]}

    # login throttling ----------------------------------------------------------------------------------
    def login_wait(self, name: str, address: str) -> float:
        """Seconds before a login for this account from this address may be checked (0: now)."""
        current = self.clock()
        keys = [f"user:{name}"[:200], f"addr:{address}"[:200]]
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(login_failures).where(login_failures.c.key.in_(keys))).mappings()
            return max([0.0] + [r["locked_until"] - current for r in rows if r["locked_until"] > current])

    def login_failed(self, name: str, address: str) -> None:
        current = self.clock()
        for key, allowed in ((f"user:{name}"[:200], ACCOUNT_FAILURES), (f"addr:{address}"[:200], ADDRESS_FAILURES)):
            self._retry(lambda connection, key=key, allowed=allowed: self._count_failure(connection, key, allowed,
                                                                                          current))

    def login_succeeded(self, name: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(login_failures.delete().where(login_failures.c.key == f"user:{name}"[:200]))

    @staticmethod
    def _count_failure(connection, key: str, allowed: int, current: float) -> None:
        row = connection.execute(sa.select(login_failures).where(login_failures.c.key == key)).mappings().first()
        count = 1 if row is None or current - row["last_at"] > FORGET else row["count"] + 1
        locked = current + min(LOCK_MAX, 2 ** (count - allowed)) if count >= allowed else 0.0
        if row is None:
            connection.execute(login_failures.insert().values(key=key, count=count, last_at=current,
                                                              locked_until=locked))
        else:
            connection.execute(login_failures.update().where(login_failures.c.key == key).values(
                count=count, last_at=current, locked_until=locked))

    def _retry(self, work, attempts: int = 5):
        """Run `work(connection)` in a transaction, again when a concurrent insert of the same key won."""
        for attempt in range(attempts):
            try:
                with self.engine.begin() as connection:
                    return work(connection)
            except (sa.exc.IntegrityError, sa.exc.OperationalError):  # a unique key, or SQLite's busy snapshot
                if attempt == attempts - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))

    # audit log -----------------------------------------------------------------------------------------
    @staticmethod
    def _log(connection, actor: str, action: str, campaign_id: int | None = None, version_id: int | None = None,
             detail: str = "") -> None:
        connection.execute(events.insert().values(at=now(), actor=actor[:120], action=action,
                                                  campaign_id=campaign_id, version_id=version_id,
                                                  detail=clean_text(detail)))

    def log(self, actor: str, action: str, campaign_id: int | None = None, version_id: int | None = None,
            detail: str = "") -> None:
        with self.engine.begin() as connection:
            self._log(connection, actor, action, campaign_id, version_id, detail)

    def events_for(self, campaign_id: int) -> list[dict]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(events).where(events.c.campaign_id == campaign_id)
                                      .order_by(events.c.id)).mappings().all()
        return [dict(r) for r in rows]

    def all_events(self) -> list[dict]:
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(sa.select(events).order_by(events.c.id)).mappings().all()]

    def user_count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(users)).scalar_one()

    # uploads -------------------------------------------------------------------------------------------
    def save_blob(self, data: bytes) -> str:
        from auditor.atomic import write_private

        digest = hashlib.sha256(data).hexdigest()
        target = self.blobs / digest
        if not target.exists():
            write_private(target, data)
        return digest

    def blob(self, digest: str) -> bytes:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise FileNotFoundError(digest)
        return (self.blobs / digest).read_bytes()

    def record_version(self, key: str, name: str | None, jurisdiction: str | None, digest: str, filename: str,
                       user: str, report: dict) -> tuple[int, bool]:
        """Store an audited upload; (version id, whether it is new). Re-uploading identical bytes of a
        campaign is the same version (not a duplicate). Concurrent first uploads of one campaign: the
        loser of the insert race retries and finds the winner's row."""
        key = clean_text(key)
        if len(key) > 300:  # the column's size on PostgreSQL; distinct long ids stay distinct
            key = key[:230] + "…" + hashlib.sha256(key.encode("utf-8")).hexdigest()
        jurisdiction = clean_text(jurisdiction)[:10] if jurisdiction is not None else None
        name = clean_text(name) if name is not None else None
        return self._retry(lambda connection: self._record_version(connection, key, name, jurisdiction, digest,
                                                                   clean_filename(filename), user, report))

    def _record_version(self, connection, key, name, jurisdiction, digest, filename, user, report):
        campaign = report["campaigns"][0]
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
            self._log(connection, user, "upload (unchanged)", campaign_id, same[0], filename)
            return same[0], False
        version_id = connection.execute(versions.insert().values(
            campaign_id=campaign_id, sha256=digest, filename=filename, uploaded_by=user, uploaded_at=now(),
            risk_level=campaign["risk"]["level"], risk_score=int(campaign["risk"]["score"]),
            report_json=json.dumps(report, ensure_ascii=False),
            status="pending")).inserted_primary_key[0]
        self._log(connection, user, "upload", campaign_id, version_id,
                  f"{filename} · sha256 {digest} · risk {campaign['risk']['level']}")
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

    def latest_version_id(self, campaign_id: int) -> int | None:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.max(versions.c.id))
                                      .where(versions.c.campaign_id == campaign_id)).scalar()

    def decide(self, version_id: int, status: str, actor: str, approval: dict | None = None,
               note: str = "", expect: tuple[str, ...] = ("pending",)) -> bool:
        """Record a decision on the latest version of its campaign when its status is one of `expect`
        (checked in the same transaction); False otherwise. An approval record is never deleted:
        sending an approved version back keeps it (and the audit log says who did what)."""
        with self.engine.begin() as connection:
            row = connection.execute(sa.select(versions.c.campaign_id, versions.c.status)
                                     .where(versions.c.id == version_id)).first()
            if row is None:
                return False
            latest = connection.execute(sa.select(sa.func.max(versions.c.id))
                                        .where(versions.c.campaign_id == row[0])).scalar()
            if latest != version_id or row[1] not in expect:
                return False
            values = {"status": status}
            if approval is not None:
                values["approval_json"] = json.dumps(approval, ensure_ascii=False)
            done = connection.execute(versions.update().where(versions.c.id == version_id,
                                                              versions.c.status == row[1]).values(**values))
            if not done.rowcount:
                return False
            action = {"approved": "approve", "returned": "send back"}.get(status, status)
            self._log(connection, actor, action, row[0], version_id, note)
            return True

    def comment(self, version_id: int, author: str, role: str, text: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(comments.insert().values(version_id=version_id, author=author, role=role,
                                                        text=clean_text(text), created_at=now()))

    def comments_for(self, version_id: int) -> list[dict]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(comments).where(comments.c.version_id == version_id)
                                      .order_by(comments.c.id)).mappings().all()
        return [dict(r) for r in rows]
