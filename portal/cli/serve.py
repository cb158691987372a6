"""`glasswall serve`: one portal process, or several behind HAProxy, over the store."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Annotated

import typer

from portal.cli import store as cli_store
from portal.cli.context import cli_settings, open_store
from portal.cli.output import handles_errors, say
from portal.config import export_to_environment
from portal.intake.leftovers import Cleaned, clean_leftovers


def say_cleaned(cleaned: Cleaned) -> None:
    """Say what leftovers of killed publishers were removed, when there were any."""
    if cleaned.entries:
        say("cli.cleaned", entries=cleaned.entries, bytes=cleaned.bytes)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8501,
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="Portal processes behind HAProxy (sticky pages, open-data paths balanced); "
            "0 or unset: one per core. 1: a single process, no balancer.",
        ),
    ] = 0,
    release_clock: Annotated[
        bool,
        typer.Option(
            "--release-clock/--no-release-clock",
            hidden=True,
            help="Publish sealed releases at their hour (the supervisor's workers: off).",
        ),
    ] = True,
) -> None:
    """Serve the glass wall and the HTTP routes on one port."""
    # The serving stack (uvicorn, Streamlit, the routes) loads only for `serve`.
    import uvicorn

    from portal.publishing.release_clock import ReleaseClock, tick
    from portal.serving.http_guard import HeadDeadlineProtocol
    from portal.serving.supervisor import supervise
    from portal.store.writer import recover_store

    settings = cli_settings()
    cli_store.upgrade_store(settings.home)
    recover_store(open_store())
    say_cleaned(clean_leftovers(settings))
    if release_clock:
        tick(settings.home)  # releases whose hour passed while the portal was down: late
    # uvicorn builds the app in this process from these settings (read back by portal.config);
    # the workers of `--workers N` inherit them the same way.
    export_to_environment(settings)
    count = workers or os.cpu_count() or 1
    if count > 1:
        # Workers see every client through the balancer on loopback, which adds the client's
        # address to X-Forwarded-For: they believe it, and still no one else.
        proxies = ",".join(filter(None, (settings.trusted_proxies, "127.0.0.1")))
        export_to_environment(replace(settings, trusted_proxies=proxies))
        supervise(settings.home, host, port, count, on_tick=lambda: tick(settings.home))
        return
    clock = ReleaseClock(settings.home).start() if release_clock else None
    # X-Forwarded-For is believed only from GLASSWALL_TRUSTED_PROXIES (default: nobody), and
    # no access log is written: a client's address appears in no log.
    trusted = settings.trusted_proxies
    uvicorn.run(
        "portal.app:from_environment",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or "",
        # Every request's head must arrive within seconds (uvicorn alone waits for ever).
        http=HeadDeadlineProtocol,
        # Streamlit's own default: deflating every page run's messages cost ~8 % of a page
        # run's CPU, and the messages are already compact protobuf.
        ws_per_message_deflate=False,
    )
    if clock is not None:
        clock.stop()


def register(app: typer.Typer) -> None:
    app.command("serve")(handles_errors(serve))
