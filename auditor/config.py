"""Configuration: `auditor.toml`, or `[tool.auditor]` in `pyproject.toml`, found upward
from the working directory (the nearest wins). Unknown keys and wrong types are
errors naming the file and the key (exit 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from auditor.vocabulary import FAIL_ON, JURISDICTIONS, SEVERITIES  # noqa: F401 (re-exported)

# Keys whose value is a list of strings, and keys whose value is a whole number >= 1.
STRING_LISTS = ("paths", "exclude", "enable", "disable", "competitors", "own-aliases")
POSITIVE_INTEGERS = ("jobs", "max-file-bytes", "max-workbook-bytes", "max-cells", "max-depth", "max-string-length",
                     "waiver-max-days", "max-pages", "max-pixels", "max-unpacked-bytes")
# Worker processes: never more than this, nor more than the files to audit (`cap_jobs`), wherever the
# number comes from (option, configuration, API): `jobs = 100000` would otherwise fork until it fails.
MAX_JOBS = 64


class ConfigError(Exception):
    pass


@dataclass
class Config:
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
                data = tomllib.loads(text) if "auditor" in text else {}
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                continue
            if isinstance(data.get("tool"), dict) and "auditor" in data["tool"]:
                return pyproject
    return None


def _strings(where: str, key: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings")
    return list(value)


def _usage(where: str, key: str, value) -> dict:
    """`usage-per-month`: unit = number for every campaign, or a table of them per offer type."""
    def quantities(table, at):
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: `{at}` must be a table of unit = number (e.g. KB = 30720)")
        for unit, quantity in table.items():
            if isinstance(quantity, bool) or not isinstance(quantity, (int, float)) or quantity < 0:
                raise ConfigError(f"{where}: `{at}.{unit}` must be a number of at least 0")
        return dict(table)

    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `{key}` must be a table of unit = number, or of offer types")
    out = {}
    for name, item in value.items():
        out[name] = quantities(item, f"{key}.{name}") if isinstance(item, dict) else quantities({name: item}, key)[name]
    return out


def load(path: Path) -> Config:
    import tomllib

    from auditor.sideinput import MAX_CONFIG_BYTES, SideInputError, read_side_text

    try:
        data = tomllib.loads(read_side_text(path, MAX_CONFIG_BYTES, "configuration"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except SideInputError as exc:
        raise ConfigError(str(exc)) from exc
    where = str(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("auditor", {})
        where = f"{path} [tool.auditor]"
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a table of settings")
    config = Config(source=path)
    base = path.parent
    for raw_key, value in data.items():
        key = raw_key.replace("_", "-")
        if key in STRING_LISTS:
            setattr(config, key.replace("-", "_"), _strings(where, raw_key, value))
        elif key == "fail-on":
            if value not in FAIL_ON:
                raise ConfigError(f"{where}: `{raw_key}` must be one of {', '.join(FAIL_ON)}, not {value!r}")
            config.fail_on = value
        elif key == "usage-per-month":
            config.usage_per_month = _usage(where, raw_key, value)
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: `{raw_key}` must be a table of RULE = \"severity\"")
            for rule, severity in value.items():
                if severity not in SEVERITIES:
                    raise ConfigError(f"{where}: `{raw_key}.{rule}` must be one of {', '.join(SEVERITIES)}, "
                                      f"not {severity!r}")
            config.severity = dict(value)
        elif key == "jurisdiction":
            if value not in JURISDICTIONS:
                raise ConfigError(f"{where}: `{raw_key}` must be one of {', '.join(JURISDICTIONS)}, not {value!r}")
            config.jurisdiction = value
        elif key == "checklists":
            dirs = [base / d for d in _strings(where, raw_key, value)]
            for directory in dirs:
                if not directory.is_dir():
                    raise ConfigError(f"{where}: `{raw_key}`: no such folder {directory}")
            config.checklists = dirs
        elif key in ("waivers", "baseline", "trusted-keys"):
            if not isinstance(value, str):
                raise ConfigError(f"{where}: `{raw_key}` must be a path")
            setattr(config, key.replace("-", "_"), base / value)
        elif key == "house-policy":
            config.house_policy = _house_policy(where, raw_key, value)
        elif key in POSITIVE_INTEGERS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where}: `{raw_key}` must be a whole number of at least 1")
            if key == "jobs" and value > MAX_JOBS:
                raise ConfigError(f"{where}: `{raw_key}` is {value}; at most {MAX_JOBS} worker processes are allowed")
            setattr(config, key.replace("-", "_"), value)
        else:
            raise ConfigError(f"{where}: unknown key `{raw_key}` (known: paths, exclude, fail-on, enable, disable, "
                              f"severity, jurisdiction, competitors, own-aliases, checklists, waivers, baseline, "
                              f"trusted-keys, usage-per-month, house-policy, jobs, max-file-bytes, max-workbook-bytes, "
                              f"max-cells, max-depth, max-string-length, waiver-max-days, max-pages, max-pixels, "
                              f"max-unpacked-bytes)")
    return config


def cap_jobs(jobs: int, files: int) -> int:
    """Worker processes actually started: at least 1, at most MAX_JOBS and the number of files."""
    return max(1, min(int(jobs), MAX_JOBS, files))


# House-policy checks that configuration may switch per jurisdiction (checklists: `params.house_policy`).
HOUSE_POLICIES = ("competitor-review",)


def _house_policy(where: str, key: str, value) -> dict[str, dict[str, bool]]:
    """`[house-policy.competitor-review]` with `EU = false` (or `default = false`, then `CN = true`...)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `{key}` must be a table of house policies ({', '.join(HOUSE_POLICIES)})")
    out = {}
    for name, switches in value.items():
        if name not in HOUSE_POLICIES:
            raise ConfigError(f"{where}: `{key}.{name}` is not a house policy (known: {', '.join(HOUSE_POLICIES)})")
        if not isinstance(switches, dict):
            raise ConfigError(f"{where}: `{key}.{name}` must be a table of JURISDICTION = true/false")
        for jurisdiction, on in switches.items():
            if jurisdiction != "default" and jurisdiction not in JURISDICTIONS:
                raise ConfigError(f"{where}: `{key}.{name}.{jurisdiction}`: not a jurisdiction "
                                  f"({', '.join(JURISDICTIONS)}) nor `default`")
            if not isinstance(on, bool):
                raise ConfigError(f"{where}: `{key}.{name}.{jurisdiction}` must be true or false")
        out[name] = dict(switches)
    return out


def validate_rules(config: Config, rule_ids: set[str]) -> None:
    where = str(config.source)
    for key, ids in (("enable", config.enable or []), ("disable", config.disable), ("severity", list(config.severity))):
        for rule in ids:
            if rule not in rule_ids:
                raise ConfigError(f"{where}: `{key}` names unknown rule {rule}")
