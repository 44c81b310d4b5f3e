"""No secret is printed, anywhere: terminal, log file, JSON log, doctor, health, configuration
errors and each one-line failure. The secrets hold `\\ " ' % { } &`, the characters that
escaping changes, so a redactor working on escaped text would miss them."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest
from loguru import logger

from core import logs
from core.kernel import Kernel
from core.redaction import mask_urls
from core.testing import base_settings, config_root, postgres_database, redis_url
from tests.ops_support import AWKWARD, AWKWARD_TOML, operator_root, run_core

PG_PASSWORD = "Pg%7Bw0rd%7D-Zq81"  # percent-encoded braces, as a URL needs them
SECRETS = f"""
[default.payments]
payload_secrets = ["{AWKWARD_TOML}"]
provider_token = "{AWKWARD_TOML}-provider"
[default.monitoring]
sentry_dsn = ""
"""
SETTINGS = '[default.plugins]\nenabled = ["credits", "payments", "admin", "monitoring"]\n'


def leaked(text: str) -> list[str]:
    """Every spelling of a seeded secret that shows in `text`."""
    forms = {AWKWARD, json.dumps(AWKWARD)[1:-1], repr(AWKWARD)[1:-1], "7f3Q9zX",
             PG_PASSWORD, "Pg{w0rd}-Zq81", "Zq81"}
    return [f for f in forms if f in text]


def test_the_log_sinks_redact_before_escaping(tmp_path: Path) -> None:
    json_file = tmp_path / "log.json"
    settings = base_settings(tmp_path)
    settings.update({"payments.provider_token": AWKWARD, "logging.json_file": str(json_file)})
    kernel = Kernel.configure(settings, root=config_root(tmp_path), environ=False)
    stream = io.StringIO()
    logs.setup(kernel.settings, kernel.redact.secrets, stream=stream)
    logger.bind(token=AWKWARD).info("calling the provider with {}", AWKWARD)
    try:
        raise RuntimeError(f"provider refused {AWKWARD!r} and {json.dumps(AWKWARD)}")
    except RuntimeError:
        logger.exception("payment failed")
    logs.quiet()
    written = json_file.read_text()
    assert leaked(stream.getvalue()) == [] and leaked(written) == []
    assert "[REDACTED]" in stream.getvalue() and "[REDACTED]" in written
    records = [json.loads(line) for line in written.splitlines()]
    assert records[1]["exception"].startswith("Traceback") and records[0]["extra"]["token"] \
        == "[REDACTED]"


def test_urls_are_shown_with_their_password_masked() -> None:
    assert mask_urls("postgresql+pool://bot:s3cr%7Bt@db:5432/bot and redis://:pw@r:6379/0") \
        == "postgresql+pool://bot:***@db:5432/bot and redis://:***@r:6379/0"


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    return operator_root(tmp_path, SETTINGS, SECRETS)


def _check(done: object, *files: Path) -> None:
    text = done.stdout + done.stderr + "".join(f.read_text() for f in files if f.exists())
    assert leaked(text) == [], text
    assert "Traceback" not in done.stdout + done.stderr


def test_doctor_and_health_print_no_secret(seeded: Path) -> None:
    with postgres_database() as url:
        with_password = url.replace("postgres@", f"postgres:{PG_PASSWORD}@", 1)
        log = seeded / "log.json"
        env = {"BOT_DATABASE__URL": with_password.replace("postgresql://", "postgresql+pool://"),
               "BOT_CACHE__BACKEND": "redis", "BOT_CACHE__URL": redis_url(),
               "BOT_LOGGING__JSON_FILE": str(log), "BOT_LOGGING__LEVEL": "DEBUG"}
        doctor = run_core(seeded, "doctor", **env)
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        _check(doctor, log)
        health = run_core(seeded, "health", **env)
        assert json.loads(health.stdout)["status"] in ("ok", "degraded"), health.stderr
        _check(health, log)


def test_doctor_shows_an_unreachable_redis_with_its_password_masked(seeded: Path) -> None:
    done = run_core(seeded, "doctor", BOT_CACHE__BACKEND="redis",
                    BOT_CACHE__URL=f"redis://:{PG_PASSWORD}@127.0.0.1:1/0",
                    BOT_RATELIMIT__STORAGE=f"redis://:{PG_PASSWORD}@127.0.0.1:1/1")
    assert done.returncode == 1
    assert "[FAIL] cache: Redis at redis://:***@127.0.0.1:1/0 does not answer" in done.stdout
    assert "[FAIL] rate limits: Redis at redis://:***@127.0.0.1:1/1" in done.stdout
    _check(done)


def test_configuration_errors_print_no_secret(seeded: Path) -> None:
    done = run_core(seeded, "run", stdin="/quit\n", BOT_ADMINS="123",
                    BOT_DATABASE__URL=f"mysql://bot:{PG_PASSWORD}@db/bot",
                    BOT_TELEGRAM__BOT_TOKEN=f"1:{AWKWARD}", BOT_TELEGRAM__API_HASH=AWKWARD)
    assert done.returncode == 2
    assert "database.url" in done.stderr and "telegram.api_hash" in done.stderr
    _check(done)


@pytest.mark.parametrize("failure", ["postgres unreachable", "postgres login refused",
                                     "redis unreachable"])
def test_each_failure_is_one_line_with_the_fix_and_no_secret(seeded: Path,
                                                            failure: str) -> None:
    log = seeded / "log.json"
    env = {"BOT_LOGGING__JSON_FILE": str(log)}
    if failure == "postgres unreachable":
        env["BOT_DATABASE__URL"] = f"postgresql+pool://bot:{PG_PASSWORD}@127.0.0.1:1/bot"
        expected = "PostgreSQL is unreachable"
    elif failure == "postgres login refused":
        role = f"nobody_{uuid.uuid4().hex[:8]}"
        with postgres_database() as url:  # a real server, a role it does not know
            _, _, where = url.partition("@")
        env["BOT_DATABASE__URL"] = f"postgresql+pool://{role}:{PG_PASSWORD}@{where}"
        expected = "PostgreSQL refused the login"
    else:
        env["BOT_CACHE__BACKEND"] = "redis"
        env["BOT_CACHE__URL"] = f"redis://:{PG_PASSWORD}@127.0.0.1:1/0"
        expected = "Redis at redis://:***@127.0.0.1:1/0 does not answer"
    done = run_core(seeded, "run", stdin="/quit\n", **env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], lines
    assert "(fix: " in lines[0]
    _check(done, log)
    assert "Traceback" in log.read_text()  # the details: in the log file, at DEBUG


def test_an_unexpected_failure_is_one_redacted_line(tmp_path: Path) -> None:
    root = operator_root(tmp_path, secrets=f'[default.monitoring]\nsentry_dsn = "{AWKWARD_TOML}"\n')
    log = root / "log.json"
    done = run_core(root, "run", stdin="/quit\n", BOT_LOGGING__JSON_FILE=str(log),
                    BOT_PLUGINS__ENABLED='["tests.bad_plugins.leaky_services"]')
    assert done.returncode == 1
    [line] = [x for x in done.stderr.splitlines() if x.startswith("error: ")]
    assert "RuntimeError: could not reach https://sentry.example/[REDACTED]" in line
    _check(done, log)
    assert "Traceback" in log.read_text()
