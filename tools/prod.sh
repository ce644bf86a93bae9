#!/usr/bin/env bash
# The production profile on one machine, in one command (README "Production profile"):
# PostgreSQL 15, Redis, a Celery worker and beat, gunicorn serving Django with static
# files by WhiteNoise. State lives in var/prod/ (database, secret key, logs) and
# persists between runs. Ctrl-C stops everything this script started.
#
#   tools/prod.sh [--demo]      --demo loads the demo houses once (prints the logins)
#
# Environment: PORT (8000), PG_PORT (55433), REDIS_PORT (6380), WORKERS (2 x cores),
# CELERY_CONCURRENCY (cores), CELERY_NICE (10); DATABASE_URL / REDIS_URL /
# CELERY_BROKER_URL, when set, point at servers of your own and the local one is not
# started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VAR=$ROOT/var/prod
PY=$ROOT/.venv/bin/python
PORT=${PORT:-8000}
PG_PORT=${PG_PORT:-55433}
REDIS_PORT=${REDIS_PORT:-6380}
CORES=$(nproc 2>/dev/null || echo 2)
WORKERS=${WORKERS:-$((2 * CORES))}
CELERY_CONCURRENCY=${CELERY_CONCURRENCY:-$CORES}
CELERY_NICE=${CELERY_NICE:-10}
DEMO=0
[ "${1:-}" = "--demo" ] && DEMO=1

mkdir -p "$VAR/log"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pids=()
PG_STARTED=0
REDIS_STARTED=0
stop() {
  trap - EXIT
  echo "Stopping..." >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$REDIS_STARTED" = 1 ] && [ -f "$VAR/redis.pid" ]; then
    kill -TERM "$(cat "$VAR/redis.pid")" 2>/dev/null || true
  fi
  if [ "$PG_STARTED" = 1 ]; then
    as_postgres pg_ctl -D "$VAR/postgres/data" -m fast -w stop >/dev/null || true
  fi
  echo "Stopped." >&2
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- PostgreSQL 15 -------------------------------------------------------------------
if [ -z "${DATABASE_URL:-}" ]; then
  # Its own directory, owned by the postgres user (it refuses to run as root).
  PGDIR=$VAR/postgres
  mkdir -p "$PGDIR"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDIR"; fi
  chmod 700 "$PGDIR"
  if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
    as_postgres initdb -D "$PGDIR/data" -A trust -U postgres >/dev/null
  fi
  as_postgres pg_ctl -D "$PGDIR/data" -l "$PGDIR/postgres.log" \
    -o "-p $PG_PORT -k $PGDIR -c listen_addresses=127.0.0.1" -w start >/dev/null
  PG_STARTED=1
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
    "select 1 from pg_database where datname='podium'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database podium"
  export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/podium
fi

# --- Redis ---------------------------------------------------------------------------
if [ -z "${REDIS_URL:-}" ]; then
  if ! command -v redis-server >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    else
      echo "Install redis-server, or set REDIS_URL." >&2; exit 1
    fi
  fi
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --pidfile "$VAR/redis.pid" --logfile "$VAR/log/redis.log" \
    --dir "$VAR"
  REDIS_STARTED=1
  for _ in $(seq 50); do [ -s "$VAR/redis.pid" ] && break; sleep 0.1; done
  export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
fi
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-$REDIS_URL}

# --- Django --------------------------------------------------------------------------
if [ -z "${PODIUM_SECRET_KEY:-}" ]; then
  if [ ! -s "$VAR/secret" ]; then
    (umask 077; "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" \
      >"$VAR/secret")
  fi
  chmod 600 "$VAR/secret"
  PODIUM_SECRET_KEY=$(cat "$VAR/secret")
  export PODIUM_SECRET_KEY
fi
export PODIUM_DEBUG=false
export PODIUM_ALLOWED_HOSTS=${PODIUM_ALLOWED_HOSTS:-localhost,127.0.0.1}
export PODIUM_PUBLIC_URL=${PODIUM_PUBLIC_URL:-http://127.0.0.1:$PORT}
export PODIUM_MEDIA_ROOT=${PODIUM_MEDIA_ROOT:-$VAR/media}
export DJANGO_SETTINGS_MODULE=config.settings

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0
if [ "$DEMO" = 1 ]; then PORT=$PORT "$PY" manage.py load_demo; fi

# --- Processes -----------------------------------------------------------------------
# The worker runs niced: at a peak on-sale the web requests get the CPU first and the
# confirmation mails (PDF and QR rendering) catch up after.
nice -n "$CELERY_NICE" "$ROOT/.venv/bin/celery" -A config worker --loglevel INFO \
  --concurrency "$CELERY_CONCURRENCY" >>"$VAR/log/celery-worker.log" 2>&1 &
pids+=($!)
"$ROOT/.venv/bin/celery" -A config beat --loglevel INFO \
  --schedule "$VAR/celerybeat-schedule" >>"$VAR/log/celery-beat.log" 2>&1 &
pids+=($!)

# Every gunicorn worker writes its request metrics here; /metrics sums them.
export PROMETHEUS_MULTIPROC_DIR=$VAR/metrics
rm -rf "$PROMETHEUS_MULTIPROC_DIR"; mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
"$ROOT/.venv/bin/gunicorn" config.wsgi --workers "$WORKERS" \
  --bind "127.0.0.1:$PORT" --access-logfile - --graceful-timeout 10 \
  --control-socket "$VAR/gunicorn.ctl" &
pids+=($!)

echo "Podium (production profile) on http://127.0.0.1:$PORT/  -- health: /health/," \
  "metrics: /metrics, logs: var/prod/log/. Ctrl-C stops it." >&2
wait -n "${pids[@]}" || true
echo "A process ended; stopping the rest." >&2
