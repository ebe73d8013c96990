"""Configuration: `auditor.toml`, or `[tool.auditor]` in `pyproject.toml`, found upward
from the working directory (the nearest wins). Validated against
`schemas/config.schema.json` (auditor.schema): unknown keys and wrong types are errors naming the file, the line
and the key (exit 2). What a schema cannot know (that checklist folders exist, that rules named exist) is
checked by `_check_folders` and `validate_rules`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from auditor.vocabulary import FAIL_ON, JURISDICTIONS, SEVERITIES  # noqa: F401 (re-exported)

# Worker processes: never more than this, nor more than the files to audit (`cap_jobs`), wherever the
# number comes from (option, configuration, API): `jobs = 100000` would otherwise fork until it fails.
# The configuration schema's `jobs.maximum` is the same number (a test holds them equal).
MAX_JOBS = 64


class ConfigError(Exception):
    pass


@dataclass
class Config:
    """The settings of an `auditor.toml` or `[tool.auditor]` table (the defaults when there is none)."""

    source: Path | None = None
    paths: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    fail_on: str | None = None
    enable: list[str] | None = None
    disable: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    jurisdiction: str | None = None
    competitors: list[str] = field(default_factory=list)
    own_aliases: list[str] = field(default_factory=list)
    checklists: list[Path] = field(default_factory=list)
    waivers: Path | None = None
    baseline: Path | None = None
    trusted_keys: Path | None = None  # the trusted reviewers' public keys (approvals are signed)
    usage_per_month: dict = field(default_factory=dict)  # assumed monthly usage by unit (and per offer type)
    jobs: int | None = None
    max_file_bytes: int | None = None
    max_workbook_bytes: int | None = None
    max_cells: int | None = None
    max_depth: int | None = None
    max_string_length: int | None = None
    waiver_max_days: int | None = None  # expiry dates further away are refused (default 365)
    # house-policy check -> {jurisdiction or "default": on?}, e.g. {"competitor-review": {"EU": False}}
    house_policy: dict[str, dict[str, bool]] = field(default_factory=dict)
    # material files (auditor.load.materials): pages or slides, image pixels, PDF streams / Office parts unpacked
    max_pages: int | None = None
    max_pixels: int | None = None
    max_unpacked_bytes: int | None = None

    @property
    def root(self) -> Path:
        return self.source.parent if self.source else Path.cwd()


def discover(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "auditor.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            import tomllib  # only here and in load(): most runs have no configuration to parse

            try:
                text = pyproject.read_text(encoding="utf-8")
                data = _toml(text) if "auditor" in text else {}
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                continue
            if isinstance(data.get("tool"), dict) and "auditor" in data["tool"]:
                return pyproject
    return None


@lru_cache(maxsize=4)
def _toml(text: str) -> dict:
    """The parsed TOML text, parsed once: `discover` reads a pyproject.toml to see whether it has a
    `[tool.auditor]` table and `load` then reads its settings (each copies what it keeps; nothing changes it)."""
    import tomllib

    return tomllib.loads(text)


def load(path: Path) -> Config:
    """The configuration in `path`, validated against schemas/config.schema.json; errors name the file, the
    line and the key."""
    text = _read(path)
    data, prefix = _settings(path, text)
    spelled = {raw.replace("_", "-"): raw for raw in data}  # `fail_on` is accepted for `fail-on`
    settings = {key: data[raw] for key, raw in spelled.items()}
    _validate(path, text, prefix, settings, spelled)
    config = Config(source=path)
    for key, value in settings.items():
        setattr(config, key.replace("-", "_"), _value(key, value, path.parent))
    _check_folders(path, text, prefix, config)
    return config


def _read(path: Path) -> str:
    from auditor.sideinput import MAX_CONFIG_BYTES, SideInputError, read_side_text

    try:
        return read_side_text(path, MAX_CONFIG_BYTES, "configuration")
    except SideInputError as exc:
        raise ConfigError(str(exc)) from exc


def _settings(path: Path, text: str) -> tuple[dict, str]:
    """The settings table and the pointer prefix of where it is in the file (`/tool/auditor` in pyproject)."""
    import tomllib

    try:
        data = _toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    if path.name != "pyproject.toml":
        return data, ""
    tool = data.get("tool", {})
    settings = tool.get("auditor", {}) if isinstance(tool, dict) else {}
    if not isinstance(settings, dict):
        raise ConfigError(f"{_where(path, _lines(text)('/tool/auditor'))} must be a table of settings")
    return settings, "/tool/auditor"


def _lines(text: str):
    """pointer -> line of the TOML text (computed on first use)."""
    from auditor.sourcemap import SourceMap, toml_positions

    source = SourceMap(builder=lambda: toml_positions(text))
    return lambda pointer: source.locate(pointer).line or 1


def _where(path: Path, line: int) -> str:
    """`auditor.toml:3:`, or `pyproject.toml:14: [tool.auditor]`."""
    return f"{path}:{line}:" + (" [tool.auditor]" if path.name == "pyproject.toml" else "")


def _validate(path: Path, text: str, prefix: str, settings: dict, spelled: dict[str, str]) -> None:
    """Schema violations as a ConfigError: the first in the file, with its line."""
    from auditor.schema import first_problem, project_problems

    problems = project_problems("config", settings)
    if not problems:
        return
    line = _lines(text)

    def written(pointer: str) -> str:  # the pointer as the file spells it (`fail_on` stays `fail_on`)
        head, _, rest = pointer[1:].partition("/")
        return prefix + "".join("/" + p for p in (spelled.get(head, head), rest) if p) if pointer else prefix

    first = first_problem(problems, lambda pointer: line(written(pointer)))
    raise ConfigError(f"{_where(path, line(written(first.pointer)))} {first.message}")


def _value(key: str, value, base: Path):
    """A validated setting as the Config holds it: paths resolved against the file's folder, copies of tables."""
    if key == "checklists":
        return [base / folder for folder in value]
    if key in ("waivers", "baseline", "trusted-keys"):
        return base / value
    if isinstance(value, dict):
        return {name: dict(item) if isinstance(item, dict) else item for name, item in value.items()}
    return list(value) if isinstance(value, list) else value


def _check_folders(path: Path, text: str, prefix: str, config: Config) -> None:
    """Configured checklist folders must exist (the schema cannot know)."""
    for directory in config.checklists:
        if not directory.is_dir():
            line = _lines(text)(f"{prefix}/checklists")
            raise ConfigError(f"{_where(path, line)} `checklists`: no such folder {directory}")


def cap_jobs(jobs: int, files: int) -> int:
    """Worker processes actually started: at least 1, at most MAX_JOBS and the number of files."""
    return max(1, min(int(jobs), MAX_JOBS, files))


# House-policy checks that configuration may switch per jurisdiction (checklists: `params.house_policy`);
# the configuration schema's `house-policy` table lists the same (a test holds them equal).
HOUSE_POLICIES = ("competitor-review",)


def validate_rules(config: Config, rule_ids: set[str]) -> None:
    where = str(config.source)
    for key, ids in (("enable", config.enable or []), ("disable", config.disable), ("severity", list(config.severity))):
        for rule in ids:
            if rule not in rule_ids:
                raise ConfigError(f"{where}: `{key}` names unknown rule {rule}")
