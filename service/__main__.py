"""The `ipcoord` command: serve, worker, migrate, create-user, load-demo, anonymise-due, scan-duplicates, audit,
backup, restore."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import os
import signal
import sys
from collections.abc import Iterator
from typing import Any

from service.db import use_field_key
from service.settings import Settings, SettingsError


def resolve_database(settings: Settings) -> Settings:
    """Settings with a database URL: DATABASE_URL, else (development only) the embedded server."""
    if settings.database_url:
        return settings
    if settings.is_production:
        raise SettingsError("DATABASE_URL is required in production")
    from service import embedded_pg

    url = embedded_pg.start(settings.data_dir)
    os.environ["DATABASE_URL"] = url  # uvicorn workers inherit it
    return Settings.from_env()


def _exit_on_sigterm(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def database_for_run(settings: Settings) -> Iterator[Settings]:
    """Settings with a database for a long-running command; an embedded server it starts is stopped on exit.

    uvicorn re-raises the SIGTERM it caught once it has shut down; with this handler in place that ends the
    process through `finally` (stopping PostgreSQL) instead of killing it past Python's exit hooks.
    """
    embedded = not settings.database_url
    settings = resolve_database(settings)
    if not embedded:
        yield settings
        return
    from service import embedded_pg

    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield settings
    finally:
        signal.signal(signal.SIGTERM, previous)
        embedded_pg.stop()


async def _with_session(settings: Settings, work: Any) -> Any:
    from service.db import alchemy_config, transaction

    config = alchemy_config(settings.database_url or "", 2)
    try:
        async with transaction(config.get_session) as session:
            return await work(session)
    finally:
        await config.get_engine().dispose()


def cmd_migrate(settings: Settings, _: argparse.Namespace) -> int:
    """Bring the database schema to head."""
    from service import migrate

    migrate.upgrade(settings.database_url or "")
    print(f"database migrated to {migrate.head_revision()}")
    return 0


def cmd_load_demo(settings: Settings, _: argparse.Namespace) -> int:
    """Create demo users and demo incidents (development only)."""
    if settings.is_production:
        print("load-demo refuses to run in production", file=sys.stderr)
        return 2
    from service.demo import DEMO_PASSWORD, DEMO_USERS, load_demo

    loaded = asyncio.run(_with_session(settings, load_demo))
    print(f"demo users ({len(loaded.users)} new); password for all: {DEMO_PASSWORD}")
    for username, _name, agency, role in DEMO_USERS:
        print(f"  {username:18} {agency:8} {role}")
    print(
        f"demo incidents: {loaded.incidents} new, up to today; referrals: {loaded.referrals}; "
        f"sanction decisions: {loaded.sanctions}"
    )
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu / Password: ")
        if first != getpass.getpass("Nhập lại / Repeat: "):
            raise SystemExit("passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def cmd_create_user(settings: Settings, args: argparse.Namespace) -> int:
    """Create a user; the password comes from standard input, never from the command line."""
    from service.auth.service import create_user
    from service.errors import AppError
    from service.i18n import both

    password = _read_password()

    async def work(session: Any) -> Any:
        return await create_user(
            session,
            username=args.username,
            password=password,
            agency_code=args.agency,
            role=args.role,
            full_name=args.full_name,
        )

    try:
        user = asyncio.run(_with_session(settings, work))
    except AppError as error:
        vi, en = both(error.code, field=error.field, **error.params)
        print(f"{vi}\n{en}", file=sys.stderr)
        return 2
    print(f"created user {user.username} ({args.role}, {args.agency})")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Run the HTTP service with uvicorn."""
    import uvicorn

    from service import migrate

    embedded = not settings.database_url
    with database_for_run(settings) as settings:
        if embedded or args.migrate:
            migrate.upgrade(settings.database_url or "")
        if args.demo:
            cmd_load_demo(settings, args)
        print(f"ipcoord on http://{args.host}:{args.port}/  (API docs: /schema, health: /health)", flush=True)
        uvicorn.run(
            "service.asgi:app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            log_config=None,
            # On SIGTERM: stop accepting, let requests in flight finish for this long, then close.
            timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        )
    return 0


# SQLSTATEs no waiting cures: wrong password or role (class 28), no such database (3D000).
_CONFIG_STATES = ("28", "3D000")


def _config_error(exc: BaseException) -> bool:
    """True for a failure that is the deployment's to fix (schema, credentials, database name), not an outage."""
    from service.migrate import NotMigrated

    while exc is not None:
        state = getattr(exc, "sqlstate", None) or ""
        if isinstance(exc, NotMigrated) or (isinstance(state, str) and state.startswith(_CONFIG_STATES)):
            return True
        exc = exc.__cause__ or getattr(exc, "orig", None)  # type: ignore[assignment]
    return False


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    """Run background jobs (reminders, escalations, digests, notification delivery) until stopped.

    Waits out database outages; exits 0 only when stopped (SIGTERM/SIGINT, or `--once` done), 2 on a
    configuration error, 1 (with a traceback) on a bug."""
    from service import migrate
    from service.observability import configure_logging
    from service.worker import run_worker

    embedded = not settings.database_url
    with database_for_run(settings) as settings:
        if embedded or args.migrate:
            migrate.upgrade(settings.database_url or "")
        configure_logging(settings.log_level)
        try:
            asyncio.run(run_worker(settings, once=args.once))
        except Exception as exc:
            if not _config_error(exc):
                raise
            print(f"ipcoord worker cannot run: {exc}", file=sys.stderr)
            return 2
    return 0


async def _anonymise_due(settings: Settings, dry_run: bool) -> Any:
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from service import all_models  # noqa: F401 - every mapper, so the models' foreign keys resolve
    from service.clock import now
    from service.db import async_url
    from service.migrate import check_migrated
    from service.retention.rules import RetentionRules
    from service.retention.service import anonymise_due

    engine = create_async_engine(async_url(settings.database_url or ""), pool_size=2)
    try:
        await check_migrated(engine)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        rules = RetentionRules.of(settings.retention_years)
        return await anonymise_due(sessions, rules, now(), batch=settings.retention_batch, dry_run=dry_run)
    finally:
        await engine.dispose()


def cmd_anonymise_due(settings: Settings, args: argparse.Namespace) -> int:
    """Anonymise the personal data of violators in closed cases past their retention rule (or count, dry run)."""
    from service.i18n import both

    report = asyncio.run(_anonymise_due(resolve_database(settings), args.dry_run))
    code = "retention.cli.would" if args.dry_run else "retention.cli.done"
    for line in both(code, count=report.total):
        print(line)
    for record_class, years in settings.retention_years:
        if report.by_class[record_class]:
            rule = " / ".join(both("retention.cli.rule", years=years))
            print(f"  {record_class:28} {report.by_class[record_class]:6}  ({rule})")
    return 0


async def _scan_duplicates(settings: Settings) -> tuple[int, int]:
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from service.cases.scan import scan
    from service.db import async_url
    from service.migrate import check_migrated

    engine = create_async_engine(async_url(settings.database_url or ""), pool_size=2)
    try:
        await check_migrated(engine)
        return await scan(async_sessionmaker(engine, expire_on_commit=False))
    finally:
        await engine.dispose()


def cmd_scan_duplicates(settings: Settings, args: argparse.Namespace) -> int:
    """Derive every incident's external numbers and likely-duplicate flags again (incidents of earlier versions)."""
    from service.i18n import both

    seen, open_flags = asyncio.run(_scan_duplicates(resolve_database(settings)))
    for line in both("case.cli.scanned", count=seen, flags=open_flags):
        print(line)
    return 0


def cmd_exchange(settings: Settings, args: argparse.Namespace) -> int:
    """`exchange add-partner URL [--fingerprint F] [--replace]`: pin a partner node's key (docs/exchange.md)."""
    import httpx

    from service.exchange.partners import PartnerRefused, add_partner

    async def work(session: Any) -> Any:
        async with httpx.AsyncClient(timeout=settings.webhook_timeout_seconds) as http:
            return await add_partner(session, http, args.url, args.fingerprint, replace=args.replace)

    try:
        added = asyncio.run(_with_session(settings, work))
    except PartnerRefused as refused:
        print(f"ipcoord exchange: refused: {refused}", file=sys.stderr)
        return 2
    print(f"partner {added.node_id} ({added.name}) pinned{' again, with a new key' if added.changed else ''}")
    print(f"  fingerprint: {added.fingerprint}  (compare it with the partner's administrator)")
    print(f"  agencies: {', '.join(added.agencies) or '-'}")
    return 0


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    """`audit verify`: recompute the audit chain; exit 1 naming the first row that breaks it."""
    from service.audit.commands import report, verify_database

    status, lines = report(asyncio.run(verify_database(settings.database_url or "")))
    for line in lines:
        print(line, file=sys.stdout if status == 0 else sys.stderr)
    return status


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """Write one archive: the database (pg_dump of the server's major version), attachments, SHA-256 manifest."""
    from pathlib import Path

    from service.backup.pgtools import ToolMissing
    from service.backup.service import backup
    from service.i18n import both

    try:
        manifest = backup(settings, Path(args.file))
    except ToolMissing as error:
        print(*both("backup.cli.failed", problem=str(error)), sep="\n", file=sys.stderr)
        return 2
    print(*both("backup.cli.done", file=args.file, files=len(manifest.files) - 1), sep="\n")
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    """Restore an archive into an empty database and attachments folder (or replace them: --force), then migrate."""
    from pathlib import Path

    from service.backup.archive import ArchiveDamaged
    from service.backup.pgtools import ToolMissing
    from service.backup.service import RestoreRefused, restore
    from service.i18n import both

    try:
        manifest = restore(settings, Path(args.file), force=args.force)
    except (ArchiveDamaged, RestoreRefused, ToolMissing) as error:
        print(*both("backup.cli.refused", problem=str(error)), sep="\n", file=sys.stderr)
        return 2
    print(*both("backup.cli.restored", file=args.file, created=manifest.meta.get("created_at")), sep="\n")
    return 0


def _backup_commands(sub: Any) -> None:
    backup = sub.add_parser("backup", help="write one archive: database dump, attachments, SHA-256 manifest")
    backup.add_argument("file", help="the archive to write (a tar file)")
    restore = sub.add_parser("restore", help="restore an archive into an empty database and attachments folder")
    restore.add_argument("file", help="an archive written by `ipcoord backup`")
    restore.add_argument("--force", action="store_true", help="replace a non-empty database and attachments folder")


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(prog="ipcoord", description="Lai Châu IP enforcement coordination")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--demo", action="store_true", help="load demo users and incidents first (development)")
    serve.add_argument("--migrate", action="store_true", help="migrate DATABASE_URL to head first")
    sub.add_parser("migrate", help="migrate the database to head")
    user = sub.add_parser("create-user", help="create a user; password on standard input")
    user.add_argument("username")
    user.add_argument("--agency", required=True, help="agency code, e.g. QLTT")
    user.add_argument("--role", required=True, help="inspector, agency_staff, agency_head, coordinator, admin")
    user.add_argument("--full-name", default="")
    sub.add_parser("load-demo", help="create demo users and incidents (development only)")
    worker = sub.add_parser("worker", help="run background jobs: reminders, escalations, digests, notifications")
    worker.add_argument("--once", action="store_true", help="sweep and deliver now, then exit when the queue is empty")
    worker.add_argument("--migrate", action="store_true", help="migrate DATABASE_URL to head first")
    anonymise = sub.add_parser(
        "anonymise-due", help="anonymise violators' personal data in closed cases past their retention rule"
    )
    anonymise.add_argument("--dry-run", action="store_true", help="only count, per record class; change nothing")
    sub.add_parser("scan-duplicates", help="derive external numbers and likely-duplicate flags of every incident again")
    exchange = sub.add_parser("exchange", help="the exchange with other ipcoord nodes (docs/exchange.md)")
    exchange_sub = exchange.add_subparsers(dest="exchange_command", required=True)
    add = exchange_sub.add_parser("add-partner", help="fetch a partner's descriptor and pin its signing key")
    add.add_argument("url", help="the partner's base URL or its /.well-known/ipcoord-exchange URL")
    add.add_argument("--fingerprint", default=None, help="refuse unless the key has this fingerprint")
    add.add_argument("--replace", action="store_true", help="accept a key that changed since it was pinned")
    audit = sub.add_parser("audit", help="the audit trail")
    audit.add_argument("action", choices=["verify"], help="verify: recompute the hash chain, name the first broken row")
    _backup_commands(sub)
    return p


COMMANDS = {
    "serve": cmd_serve,
    "migrate": cmd_migrate,
    "create-user": cmd_create_user,
    "load-demo": cmd_load_demo,
    "worker": cmd_worker,
    "anonymise-due": cmd_anonymise_due,
    "scan-duplicates": cmd_scan_duplicates,
    "exchange": cmd_exchange,
    "audit": cmd_audit,
    "backup": cmd_backup,
    "restore": cmd_restore,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `ipcoord` console script."""
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.command not in ("serve", "worker"):
            settings = resolve_database(settings)
        use_field_key(settings.field_key)  # every command seals and opens encrypted columns as the app does
        return COMMANDS[args.command](settings, args)
    except SettingsError as error:
        print(f"ipcoord: configuration error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
