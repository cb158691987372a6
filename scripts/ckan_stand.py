#!/usr/bin/env python3
"""A real CKAN 2.11 on 127.0.0.1 for the federation tests and benchmark.

    python scripts/ckan_stand.py up --dir DIR [--port 5000]   # prints {"url", "apikey", ...}
    python scripts/ckan_stand.py down --dir DIR

`up` installs what is missing, then starts everything:
  * Debian packages: postgresql, redis-server, libpq-dev (psycopg2 builds against it),
    libmagic1 (python-magic);
  * CKAN from PyPI in its own virtual environment (`.ckan-venv/`), with the pinned
    requirements that CKAN ships in its source distribution for that release;
  * the project's test plugin `glasswall_pgsearch`, which keeps CKAN's package search index
    in PostgreSQL because Solr cannot be installed here (a TEST STAND-IN: production CKAN
    keeps Solr);
  * a private PostgreSQL cluster and Redis server on free ports, `ckan db init`, a
    sysadmin and an API token, and `ckan run` (threaded) on 127.0.0.1.
Everything lives in DIR; `down` stops it all and removes DIR.
"""

from __future__ import annotations

import argparse
import configparser
import contextlib
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CKAN_VERSION = "2.11.6"
VENV = REPO / ".ckan-venv"
PLUGIN = REPO / "tests" / "ckan_stand" / "ckanext-glasswall_pgsearch"
DEBIAN = ("postgresql", "redis-server", "libpq-dev", "libmagic1")
SYSADMIN = "glasswall"


def run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], check=True, text=True, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_debian() -> None:
    missing = [
        p for p in DEBIAN if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode
    ]
    if not missing:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", *missing]
    if subprocess.run(install, env=env, capture_output=True).returncode:
        run(*sudo, "apt-get", "update", capture_output=True)
        run(*install, env=env, capture_output=True)


def ensure_ckan() -> None:
    stamp = VENV / "glasswall-stand.json"
    wanted = {"ckan": CKAN_VERSION, "plugin": (PLUGIN / "setup.py").stat().st_mtime_ns}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return
    if not (VENV / "bin" / "python").exists():
        run(sys.executable, "-m", "venv", VENV)
    pip = [VENV / "bin" / "python", "-m", "pip", "install", "-q"]
    with tempfile.TemporaryDirectory() as folder:
        run(*pip[:-2], "download", "-q", "--no-deps", "--no-binary", ":all:",
            f"ckan=={CKAN_VERSION}", "-d", folder)  # fmt: skip
        (sdist,) = Path(folder).glob("ckan-*.tar.gz")
        with tarfile.open(sdist) as archive:
            member = archive.getmember(f"ckan-{CKAN_VERSION}/requirements.txt")
            requirements = Path(folder) / "requirements.txt"
            requirements.write_bytes(archive.extractfile(member).read())  # type: ignore[union-attr]
        run(*pip, "-r", requirements)
        run(*pip, "--no-deps", sdist)
    run(*pip, "--no-deps", "-e", PLUGIN)
    stamp.write_text(json.dumps(wanted))


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_postgres(root: Path) -> int:
    bin_dir = next(Path("/usr/lib/postgresql").glob("*/bin"))
    data, port = root / "pg", free_port()
    data.mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(data, user.pw_uid, user.pw_gid)
    run(*_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "ckan",
                       "-E", "UTF8", "--locale=C.UTF-8"]), capture_output=True)  # fmt: skip
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = str(data / "server.log")
    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start"]
    run(*_as_postgres(start), capture_output=True)
    run(*_as_postgres([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                       "-U", "ckan", "ckan"]), capture_output=True)  # fmt: skip
    return port


def start_redis(root: Path) -> int:
    port = free_port()
    run("redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--daemonize", "yes", "--pidfile", root / "redis.pid",
        "--logfile", root / "redis.log")  # fmt: skip
    return port


def ckan(ini: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return run(VENV / "bin" / "ckan", "-c", ini, *args, capture_output=True, **kwargs)


def configure(root: Path, port: int, pg: int, redis: int) -> Path:
    ini = root / "ckan.ini"
    run(VENV / "bin" / "ckan", "generate", "config", ini, capture_output=True)
    (root / "storage").mkdir()
    settings = {
        "sqlalchemy.url": f"postgresql://ckan@127.0.0.1:{pg}/ckan",
        "ckan.site_url": f"http://127.0.0.1:{port}",
        "ckan.redis.url": f"redis://127.0.0.1:{redis}/0",
        "solr_url": "http://127.0.0.1:9/solr/not-used",
        "ckan.plugins": "glasswall_pgsearch",
        "ckan.storage_path": str(root / "storage"),
        "ckan.max_resource_size": "2048",
        "ckan.devserver.threaded": "true",
        "ckan.locale_default": "en",
        "ckan.auth.create_user_via_web": "false",
    }
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep SECRET_KEY as written
    parser.read(ini)
    for key, value in settings.items():
        parser.set("app:main", key, value)
    with ini.open("w") as handle:
        parser.write(handle)
    return ini


def wait_until_up(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"CKAN did not answer at {url} within {timeout} s")


def up(root: Path, port: int) -> dict:
    ensure_debian()
    ensure_ckan()
    root.mkdir(parents=True)
    root.chmod(0o755)  # the postgres user must reach its data folder inside
    pg = start_postgres(root)
    redis = start_redis(root)
    ini = configure(root, port, pg, redis)
    ckan(ini, "db", "init")
    ckan(ini, "user", "add", SYSADMIN, "email=glasswall@example.org", "password=glasswall-stand-1")
    ckan(ini, "sysadmin", "add", SYSADMIN)
    token = (
        ckan(ini, "user", "token", "add", SYSADMIN, "federation").stdout.strip().splitlines()[-1]
    )
    log = (root / "ckan.log").open("w")
    server = subprocess.Popen(
        [str(VENV / "bin" / "ckan"), "-c", str(ini), "run", "--host", "127.0.0.1",
         "--port", str(port), "--disable-reloader", "--threaded"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url)
    stand = {"url": url, "apikey": token.strip(), "ckan_pid": server.pid, "postgres_port": pg,
             "redis_port": redis, "ini": str(ini), "ckan_version": CKAN_VERSION}  # fmt: skip
    (root / "stand.json").write_text(json.dumps(stand))
    return stand


def down(root: Path) -> None:
    stand_file = root / "stand.json"
    if stand_file.exists():
        stand = json.loads(stand_file.read_text())
        with contextlib.suppress(ProcessLookupError):
            os.killpg(stand["ckan_pid"], 15)
    pidfile = root / "redis.pid"
    if pidfile.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text()), 15)
    if (root / "pg" / "postmaster.pid").exists():
        bin_dir = next(Path("/usr/lib/postgresql").glob("*/bin"))
        subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(root / "pg"), "-m",
                                     "immediate", "stop"]), capture_output=True)  # fmt: skip
    shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["up", "down", "install"])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/glasswall-ckan-stand"))
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.action == "install":
        ensure_debian()
        ensure_ckan()
    elif args.action == "up":
        try:
            print(json.dumps(up(args.dir, args.port or free_port())))
        except subprocess.CalledProcessError as exc:
            down(args.dir)
            sys.exit(f"{exc.cmd} failed:\n{exc.stdout or ''}\n{exc.stderr or ''}")
    else:
        down(args.dir)


if __name__ == "__main__":
    main()
