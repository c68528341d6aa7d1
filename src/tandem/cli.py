"""The `tandem` command: run the demo, serve, run the background worker, manage the database."""

import argparse
import getpass
import os
import signal
import subprocess
import sys
from pathlib import Path


def _setup(data_dir: str | None = None) -> None:
    if data_dir:
        os.environ["TANDEM_DATA_DIR"] = str(Path(data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django

    django.setup()


def _gunicorn_argv(bind: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "tandem.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]


def cmd_demo(args: argparse.Namespace) -> int:
    _setup(args.data_dir)
    from django.conf import settings
    from django.core.management import call_command

    from tandem.demo.load import DEMO_PASSWORD, demo_logins, load_demo_if_empty

    call_command("migrate", interactive=False, verbosity=0)
    loaded = load_demo_if_empty()
    db = settings.DATABASES["default"]["NAME"]
    print(f"Database: {db} ({'demo network loaded' if loaded else 'kept from an earlier run'})")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, role, scope in demo_logins():
        print(f"  {email:<34} {role:<20} {scope}")
    if args.no_serve:
        return 0
    print(f"Serving on http://127.0.0.1:{args.port}/ with a background worker. Press Ctrl+C to stop.", flush=True)
    # The worker runs beside the web server so that background work (imports, reports) finishes.
    worker = subprocess.Popen([sys.executable, "-m", "tandem.cli", "worker"], env=os.environ.copy())
    try:
        return subprocess.call(_gunicorn_argv(f"127.0.0.1:{args.port}", args.workers), env=os.environ.copy())
    except KeyboardInterrupt:
        return 0
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=15)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup()
    os.execv(sys.executable, _gunicorn_argv(args.bind, args.workers))


def cmd_worker(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    from tandem.governance.tasks import ensure_daily

    extra = ["--batch"] if args.batch else []
    if not args.batch:
        ensure_daily()
    call_command("db_worker", "--no-reload", "--no-startup-delay", *extra)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False)
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    _setup()
    from django.core.exceptions import ValidationError

    from tandem.orgs.actions import do_create_person, parse_scope

    password = args.password or os.environ.get("TANDEM_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print("Give --password or TANDEM_PASSWORD when there is no terminal to ask on.", file=sys.stderr)
            return 2
        password = getpass.getpass(f"Password for {args.email}: ")
    try:
        scope = parse_scope(args.scope) if args.role else None
        person = do_create_person(
            None,
            email=args.email,
            full_name=args.name,
            password=password,
            role=args.role,
            scope=scope,
        )
    except ValidationError as e:
        for field, messages in e.message_dict.items():
            for message in messages:
                print(f"{field}: {message}", file=sys.stderr)
        return 1
    print(f"Created {person.email}" + (f" as {args.role} over {args.scope}" if args.role else ""))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    _setup()
    from tandem.achievement.importers.mapping import Mapping, MappingError
    from tandem.achievement.imports import execute, formats
    from tandem.achievement.models import ImportRun

    kind = args.kind
    fmt = args.format or {"results": "sgp-long", "oneroster": "oneroster"}.get(kind)
    kind = "roster" if kind == "oneroster" else kind
    if (kind, fmt) not in formats():
        known = ", ".join(name for k, name in formats() if k == kind)
        print(f"tandem import {args.kind}: unknown format {fmt!r}; use one of: {known}", file=sys.stderr)
        return 2
    path = Path(args.file)
    if not path.exists():
        print(f"{path}: no such file or folder", file=sys.stderr)
        return 2
    if args.mapping:
        try:
            Mapping.load(Path(args.mapping))
        except MappingError as e:
            print(e, file=sys.stderr)
            return 2
    run = ImportRun.objects.create(
        kind=kind,
        format=fmt,
        file_name=path.name,
        file_path=str(path.resolve()),
        options={
            "mapping": str(Path(args.mapping).resolve()) if args.mapping else "",
            "assessment": args.assessment or "",
        },
    )
    bar = _ProgressBar(sys.stderr)
    report = execute(run, on_progress=bar.update)
    bar.done()
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith("error") else sys.stdout)
    for change in report.changes:
        print(f"changed: {change}")
    print(report.summary())
    if args.errors_csv:
        Path(args.errors_csv).write_text(report.as_csv(), encoding="utf-8")
    return 0 if report.ok else 1


class _ProgressBar:
    """Progress on the terminal; one line per tenth when the output is not a terminal."""

    def __init__(self, stream: object) -> None:
        self.stream = stream
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.last = -1

    def update(self, rows: int, fraction: float) -> None:
        percent = int(fraction * 100)
        if self.tty:
            filled = percent // 5
            print(
                f"\r[{'#' * filled}{'.' * (20 - filled)}] {percent:3d}%  {rows:,} rows",
                end="",
                file=self.stream,
                flush=True,
            )
        elif percent // 10 > self.last // 10:
            print(f"{percent}% ({rows:,} rows)", file=self.stream, flush=True)
        self.last = percent

    def done(self) -> None:
        if self.tty:
            print(file=self.stream)


def cmd_helpdesk(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    extra: list[str] = []
    if args.helpdesk_command == "listen":
        extra = ["--host", args.host, "--port", str(args.port)]
    elif args.helpdesk_command == "poll" and args.every:
        extra = ["--every", str(args.every)]
    try:
        call_command(f"helpdesk_{args.helpdesk_command}", *extra)
    except CommandError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


def cmd_governance(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command(f"governance_{args.governance_command}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    _setup()
    from tandem.core.backup import BackupError, backup

    try:
        path, manifest = backup(Path(args.output).resolve() if args.output else None)
    except BackupError as e:
        print(f"tandem backup: {e}", file=sys.stderr)
        return 1
    size = path.stat().st_size / (1 << 20)
    print(f"Backed up the {manifest.engine} database and {manifest.files} files to {path} ({size:.1f} MB).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup()
    from tandem.core.backup import BackupError, check, restore

    archive = Path(args.file)
    try:
        manifest = check(archive) if args.check or not args.yes else restore(archive)
    except BackupError as e:
        print(f"tandem restore: {e}", file=sys.stderr)
        return 1
    if args.check:
        print(f"{archive} is a whole {manifest.engine} backup of {manifest.created_at} with {manifest.files} files.")
        return 0
    if not args.yes:
        print(
            f"tandem restore: this replaces every record and uploaded file with the backup of {manifest.created_at}; "
            "run again with --yes to do it (nothing was changed).",
            file=sys.stderr,
        )
        return 2
    print(f"Restored the backup of {manifest.created_at}: the database and {manifest.files} files.")
    return 0


def cmd_growth_sgp(args: argparse.Namespace) -> int:
    """Growth percentiles for one content area and year, from a long file or the imported results."""
    _setup()
    from tandem.growth import sgp
    from tandem.growth.inputs import InputError, read_config, read_long
    from tandem.growth.outputs import write_file

    try:
        progressions = [_progression(text) for text in args.grade_progression or []] or None
    except ValueError as error:
        print(f"--grade-progression: {error}", file=sys.stderr)
        return 2
    if args.workers < 1:
        print(f"--workers must be at least 1, not {args.workers}", file=sys.stderr)
        return 2
    if args.input is None:
        return _growth_on_imported(args, progressions)
    if not args.content_area or not args.output:
        print("tandem growth sgp --input needs --content-area and --output", file=sys.stderr)
        return 2
    from tandem.achievement.importers.values import school_year

    try:
        year = school_year(args.year)
    except ValueError as error:
        print(f"--year {args.year!r}: {error}", file=sys.stderr)
        return 2
    try:
        source = read_long(Path(args.input), args.content_area)
        scales = read_config(Path(args.config), args.content_area) if args.config else None
    except InputError as error:
        print(error, file=sys.stderr)
        return 1
    if not (source.scores.year == year).any():
        print(f"{args.input}: no valid {args.content_area} scores for {args.year}", file=sys.stderr)
        return 1
    bar = _StepProgress(sys.stderr)
    result = sgp.compute(
        source.scores,
        year,
        scales=scales,
        progressions=progressions,
        max_order=args.max_order,
        min_cohort=args.min_cohort,
        progress=bar.update,
        workers=args.workers,
    )
    rows = write_file(result, source, args.content_area, Path(args.output))
    for fit in result.fits:
        what = "–".join(fit.progression)
        if fit.fitted:
            print(f"grades {what}: {fit.students:,} students, fitted in {fit.seconds:.1f} s")
        else:
            print(f"grades {what}: not fitted: {fit.reason}")
    print(f"{args.output}: {rows:,} students, {result.with_sgp:,} with an SGP")
    return 0


def _progression(text: str) -> list[str]:
    from tandem.achievement.importers.values import grade

    grades = [grade(part) for part in text.split(",") if part.strip()]
    if len(grades) < 2:
        raise ValueError(f"{text!r}: give at least a prior grade and the current grade, like 3,4")
    return grades


def _growth_on_imported(args: argparse.Namespace, progressions: list[list[str]] | None) -> int:
    from tandem.growth.runs import RunError, run_from_cli

    try:
        run = run_from_cli(
            assessment=args.assessment,
            year=args.year,
            progressions=progressions,
            max_order=args.max_order,
            min_cohort=args.min_cohort,
            workers=args.workers,
            config=Path(args.config) if args.config else None,
            on_progress=_StepProgress(sys.stderr).update,
        )
    except RunError as error:
        print(error, file=sys.stderr)
        return 1
    if run.status != run.Status.SUCCEEDED:
        print(run.summary, file=sys.stderr)
        return 1
    print(run.summary)
    return 0


class _StepProgress:
    """One line as each grade progression is fitted."""

    def __init__(self, stream: object) -> None:
        self.stream = stream

    def update(self, done: int, total: int, what: str) -> None:
        if total:
            print(f"[{done}/{total}] fitted grades {what}", file=self.stream, flush=True)


def cmd_manage(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tandem manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tandem", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="create the database if needed, load the demo network, serve it")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--data-dir", help="where the SQLite database lives (default: $TANDEM_DATA_DIR or ./var)")
    demo.add_argument("--no-serve", action="store_true", help="prepare the database and exit")
    demo.add_argument("--workers", type=int, default=2, help="web server processes")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="run the production web server (gunicorn)")
    serve.add_argument("--bind", default=os.environ.get("TANDEM_BIND", "127.0.0.1:8000"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("TANDEM_WORKERS", "2")))
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run background tasks")
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.set_defaults(func=cmd_worker)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    migrate.set_defaults(func=cmd_migrate)

    createuser = sub.add_parser("createuser", help="add a person who can sign in")
    createuser.add_argument("--email", required=True)
    createuser.add_argument("--name", required=True)
    createuser.add_argument("--password", help="or set TANDEM_PASSWORD; asked for when neither is given")
    createuser.add_argument("--role", help="e.g. org_admin, coach, principal")
    createuser.add_argument(
        "--scope", default="organization", help="organization, region:ID, district:ID, school:ID or partnership:ID"
    )
    createuser.set_defaults(func=cmd_createuser)

    imp = sub.add_parser("import", help="import student results, public results or rosters")
    imp.add_argument("kind", choices=["results", "public", "oneroster"])
    imp.add_argument("file", help="the file (or, for oneroster, a folder or ZIP)")
    imp.add_argument("--format", help="results: sgp-long; public: generic or caaspp")
    imp.add_argument("--mapping", help="a TOML file mapping another layout's columns and codes")
    imp.add_argument("--assessment", help="the assessment code or name for every row (results)")
    imp.add_argument("--errors-csv", help="also write the error report to this CSV file")
    imp.set_defaults(func=cmd_import)

    growth = sub.add_parser("growth", help="student growth percentiles")
    growth_sub = growth.add_subparsers(dest="growth_command", required=True)
    sgp = growth_sub.add_parser(
        "sgp",
        help="compute student growth percentiles",
        description="Student growth percentiles for one content area and year: from a long CSV file"
        " (--input, --content-area, --output), or from the imported results of an assessment"
        " (--assessment), stored in Tandem.",
    )
    sgp.add_argument("--input", help="a long CSV file: VALID_CASE, CONTENT_AREA, YEAR, ID, GRADE, SCALE_SCORE")
    sgp.add_argument("--content-area", help="the content area in the file, e.g. READING")
    sgp.add_argument("--assessment", help="without --input: the code of an imported assessment, e.g. caaspp-ela")
    sgp.add_argument("--year", required=True, help="the school year, e.g. 2024_2025")
    sgp.add_argument(
        "--grade-progression",
        action="append",
        help="prior grades then the current grade, e.g. 3,4,5; repeat for more (default: every one in the data)",
    )
    sgp.add_argument("--max-order", type=int, default=3, help="most prior years used (default 3)")
    sgp.add_argument("--min-cohort", type=int, default=100, help="fewest students a progression is fitted on")
    sgp.add_argument("--config", help="a JSON file of knots, boundaries and loss/hoss by content area and grade")
    sgp.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes fitting at once (default: one per CPU)"
    )
    sgp.add_argument("--output", help="with --input: the CSV file to write")
    sgp.set_defaults(func=cmd_growth_sgp)

    helpdesk = sub.add_parser("helpdesk", help="the help desk's mail intake")
    helpdesk_sub = helpdesk.add_subparsers(dest="helpdesk_command", required=True)
    helpdesk_sub.add_parser("ingest", help="read one raw email from standard input (for a mail server's pipe)")
    listen = helpdesk_sub.add_parser("listen", help="accept mail over SMTP (for development and tests)")
    listen.add_argument("--host", default="127.0.0.1")
    listen.add_argument("--port", type=int, default=8025)
    poll = helpdesk_sub.add_parser("poll", help="fetch unread mail from the IMAP mailbox (HELPDESK_IMAP_*)")
    poll.add_argument("--every", type=int, default=0, metavar="SECONDS", help="keep polling this often")
    helpdesk.set_defaults(func=cmd_helpdesk)

    governance = sub.add_parser("governance", help="elections for planning teams' seats")
    governance_sub = governance.add_subparsers(dest="governance_command", required=True)
    governance_sub.add_parser(
        "tick", help="open the elections that are due and count closed ones (the worker does it daily)"
    )
    governance.set_defaults(func=cmd_governance)

    backup = sub.add_parser("backup", help="write an archive of the database and the uploaded files")
    backup.add_argument("--output", help="the archive to write (default: DATA_DIR/backups/tandem-<time>.tar.gz)")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database and the uploaded files with a backup")
    restore.add_argument("file", help="an archive written by `tandem backup`")
    restore.add_argument("--yes", action="store_true", help="really replace everything (asked for, not assumed)")
    restore.add_argument("--check", action="store_true", help="only check the archive; change nothing")
    restore.set_defaults(func=cmd_restore)

    manage = sub.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
