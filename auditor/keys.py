"""Reviewers' signing keys (Ed25519) and the repository's list of trusted reviewers.

A reviewer's key file is JSON holding the reviewer's name, the public key and
the private key as passphrase-encrypted PKCS#8 PEM (PBES2 with a PBKDF2-derived key, via
`cryptography`'s best available encryption). It is written with mode 0600 and
never over an existing file.

The trusted reviewers' file, named by `trusted-keys` in `auditor.toml`, has one
reviewer a line, exactly as `auditor keys export` prints it:

    ed25519:BASE64-PUBLIC-KEY Name of the reviewer

Blank lines and lines starting with `#` are ignored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

KEY_FORMAT = "campaign-auditor/reviewer-key-v1"
PREFIX = "ed25519:"


class KeyError_(Exception):
    """A key cannot be created, read or unlocked (the message says why)."""


def default_key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "campaign-auditor" / "reviewer.key"


def key_id(public_raw: bytes) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its sha256."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def encode_public(public_raw: bytes) -> str:
    return PREFIX + base64.b64encode(public_raw).decode("ascii")


def decode_public(text: str) -> bytes:
    if not text.startswith(PREFIX):
        raise KeyError_(f"not an Ed25519 public key (expected `{PREFIX}…`)")
    try:
        raw = base64.b64decode(text[len(PREFIX):], validate=True)
    except ValueError as exc:
        raise KeyError_(f"the public key is not valid base64: {exc}") from exc
    if len(raw) != 32:
        raise KeyError_("an Ed25519 public key is 32 bytes")
    return raw


def _raw_public(private) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def new_key_file(name: str, passphrase: str) -> tuple[bytes, bytes]:
    """(key file bytes, raw public key) of a fresh key for `name`, encrypted with `passphrase`."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, PrivateFormat

    name = name.strip()
    if not name or "\n" in name or "\r" in name:
        raise KeyError_("the reviewer's name must be one non-empty line")
    if len(passphrase) < 8:
        raise KeyError_("the passphrase must have at least 8 characters")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(passphrase.encode("utf-8")))
    public = _raw_public(private)
    data = {"format": KEY_FORMAT, "name": name, "public_key": encode_public(public), "key_id": key_id(public),
            "private_key": pem.decode("ascii")}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), public


def write_private(path: Path, data: bytes) -> None:
    """Create the key file with mode 0600 (never replacing an existing file)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise KeyError_(f"{path} already exists; a key is never overwritten") from exc
    except OSError as exc:
        raise KeyError_(f"cannot create {path}: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)


@dataclass(frozen=True)
class ReviewerKey:
    name: str
    public: bytes
    data: dict

    @property
    def public_text(self) -> str:
        return encode_public(self.public)

    def export_line(self) -> str:
        return f"{self.public_text} {self.name}"

    def unlock(self, passphrase: str):
        """The private key, decrypted with the passphrase."""
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        try:
            private = load_pem_private_key(self.data["private_key"].encode("ascii"), passphrase.encode("utf-8"))
        except (ValueError, TypeError) as exc:
            raise KeyError_("wrong passphrase (or a damaged key file)") from exc
        if _raw_public(private) != self.public:
            raise KeyError_("the key file's public key does not belong to its private key")
        return private


def parse_key_file(data: bytes, where: str = "key file") -> ReviewerKey:
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise KeyError_(f"{where}: not a reviewer key file ({exc})") from exc
    if not isinstance(parsed, dict) or parsed.get("format") != KEY_FORMAT:
        raise KeyError_(f"{where}: not a reviewer key file (expected format {KEY_FORMAT})")
    if not isinstance(parsed.get("name"), str) or not isinstance(parsed.get("private_key"), str):
        raise KeyError_(f"{where}: the key file lacks a name or a private key")
    return ReviewerKey(parsed["name"], decode_public(str(parsed.get("public_key", ""))), parsed)


def load_key(path: Path) -> ReviewerKey:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise KeyError_(f"no reviewer key at {path}; create one with `auditor keys create NAME`") from exc
    except OSError as exc:
        raise KeyError_(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    return parse_key_file(data, str(path))


@dataclass(frozen=True)
class Trusted:
    """The trusted reviewers: public key (raw) -> name."""

    source: str
    names: dict

    def name_of(self, public: bytes) -> str | None:
        return self.names.get(public)


def parse_trusted(text: str, where: str) -> Trusted:
    names = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key_text, _, name = line.partition(" ")
        try:
            public = decode_public(key_text)
        except KeyError_ as exc:
            raise KeyError_(f"{where}:{number}: {exc}") from exc
        if not name.strip():
            raise KeyError_(f"{where}:{number}: the line names no reviewer after the key")
        names[public] = name.strip()
    return Trusted(where, names)


def load_trusted(path: Path) -> Trusted:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KeyError_(f"no trusted reviewers' file at {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyError_(f"{path}: cannot be read: {exc}") from exc
    return parse_trusted(text, str(path))
