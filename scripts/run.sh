#!/usr/bin/env bash
# `make run`: the main job, end to end, on the embedded defaults (docs/sync.md, docs/device.md).
#
#  1. starts the server on SQLite on 127.0.0.1 (data in ./.fredag, kept between runs);
#  2. creates a demo caseworker and administrator (once);
#  3. enrolls a demo device with a one-time code (once);
#  4. with MEETING=terminal only: plays the bundled Swedish sample meeting through the
#     terminal's live loop (`fredag record --input`), at real-time pace or SPEED times faster
#     (`make run SPEED=4`), signs the draft and syncs it to the server;
#  5. (the meeting itself is run on the handheld's screen, below);
#  6. starts the handheld's touch screen (`fredag ui`) beside the server, recording from a
#     stand-in microphone: an ALSA input (`fredagmic`, device/capture/standin.py) that the same
#     sample meeting is said into, at real-time pace times SPEED, each time the device opens it
#     (the microphone check, a meeting), through the real capture path (sounddevice, PortAudio,
#     ALSA) as on a handheld; MIC=file plays the sample through `fredag ui --input` instead;
#  7. prints both addresses (the handheld's screen and the review web view) and the demo
#     logins, and keeps both up until Ctrl-C.
#
# Open the handheld's address, press "Nytt samtal", give consent, watch the meeting being
# transcribed and tagged, sign it, and review it at the second address.
#
# Settings: SPEED (default 1), PORT (default 8000, or a free one), UI_PORT (the screen's,
# default 8470, or a free one), FREDAG_DEMO_DIR (./.fredag),
# FREDAG_DEMO_INPUT (another recording instead of the bundled sample; the tests use a short one),
# FREDAG_PASSPHRASE (the demo device's passphrase; a device made by an older run with a key file
# is converted on its first unlock).
set -euo pipefail
cd "$(dirname "$0")/.."

FREDAG="$PWD/.venv/bin/fredag"
PY="$PWD/.venv/bin/python"
DEMO="${FREDAG_DEMO_DIR:-$PWD/.fredag}"
SPEED="${SPEED:-1}"
PORT="${PORT:-8000}"
SAMPLE="${FREDAG_DEMO_INPUT:-fredag/samples/mote-exempel.ogg}"
CASEWORKER=handlaggare
CASEWORKER_PASSWORD=demo-handlaggare-1
ADMIN=admin
ADMIN_PASSWORD=demo-admin-losen-1

mkdir -p "$DEMO/server" "$DEMO/device"
chmod 700 "$DEMO"
DB="sqlite:///$DEMO/server/fredag.db"
LOG="$DEMO/server.log"

# A stable secret for the demo server, so browser logins survive a restart of `make run`.
if [ ! -s "$DEMO/secret_key" ]; then
  (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(48))' > "$DEMO/secret_key")
fi
export FREDAG_SECRET_KEY="$(cat "$DEMO/secret_key")"
unset FREDAG_DATABASE_URL

port_free() { "$PY" -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null; }
if ! port_free "$PORT"; then
  PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
fi
URL="http://127.0.0.1:$PORT"
UI_PORT="${UI_PORT:-8470}"
if ! port_free "$UI_PORT" || [ "$UI_PORT" = "$PORT" ]; then
  UI_PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
fi
UI_LOG="$DEMO/ui.log"
ui_pid=""
mic_pid=""

server_pid=""
stop() {
  trap - INT TERM EXIT
  if [ -n "$ui_pid" ] && kill -0 "$ui_pid" 2>/dev/null; then
    kill -INT "$ui_pid" 2>/dev/null || true
    wait "$ui_pid" 2>/dev/null || true
  fi
  if [ -n "$mic_pid" ] && kill -0 "$mic_pid" 2>/dev/null; then
    kill -TERM "$mic_pid" 2>/dev/null || true
    wait "$mic_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    echo
    echo "Stoppar servern …"
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  echo "Klart. Data finns kvar i $DEMO (ta bort katalogen för att börja om)."
}
# Ctrl-C while the server waits for the reviewer is how the demo ends: exit 0, so make does
# not add "Error 130". Ctrl-C before that interrupts the demo half-way: say so, exit 130.
serving=0
interrupted() {
  if [ "$serving" = 1 ]; then exit 0; fi
  echo
  echo "Avbrutet med Ctrl-C innan demot var klart."
  exit 130
}
trap stop EXIT
trap interrupted INT TERM

step() { printf '\n==> %s\n' "$*"; }

step "Server: databas och demoanvändare ($DEMO/server)"
FREDAG_HOME="$DEMO/server" "$FREDAG" server migrate --database-url "$DB" >/dev/null
echo "Databasen är klar."
make_user() { # name role password
  local out label
  label="$([ "$2" = admin ] && echo administratör || echo handläggare)"
  if out="$(printf '%s\n' "$3" | FREDAG_HOME="$DEMO/server" "$FREDAG" server create-user "$1" \
      --role "$2" --full-name "Demo $1" --password-stdin --database-url "$DB" 2>&1)"; then
    echo "Skapade $label $1."
  elif [[ "$out" == *exists* ]]; then
    echo "Det finns redan en $label $1."
  else
    echo "$out" >&2; return 1
  fi
}
make_user "$ADMIN" admin "$ADMIN_PASSWORD"
make_user "$CASEWORKER" caseworker "$CASEWORKER_PASSWORD"

step "Server: startar på $URL (logg: $LOG)"
FREDAG_HOME="$DEMO/server" "$FREDAG" server serve --host 127.0.0.1 --port "$PORT" \
  --database-url "$DB" --log-level warning >"$LOG" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  if "$PY" -c 'import httpx,sys; sys.exit(httpx.get(sys.argv[1], timeout=1).status_code != 200)' \
      "$URL/api/v1/health" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "Servern startade inte:" >&2; cat "$LOG" >&2; exit 1
  fi
  sleep 0.2
done

export FREDAG_HOME="$DEMO/device"
# The demo device's keys are wrapped under a passphrase like every device's; the demo gives it
# non-interactively (FREDAG_PASSPHRASE), as CI does. A real handheld asks the caseworker
# (`fredag device init`, then `fredag device unlock` once per working session).
export FREDAG_PASSPHRASE="${FREDAG_PASSPHRASE:-demo-enhetens-losenfras}"
step "Enhet: identitet och registrering ($FREDAG_HOME)"
"$PY" scripts/demo_enroll.py "$URL" "$ADMIN" "$ADMIN_PASSWORD" "$CASEWORKER"
# Anything left from an earlier run, and the newest factor catalogue before the meeting.
"$FREDAG" sync 2>&1 | sed 's/^/  /' || true

if [ "${MEETING:-}" = terminal ]; then
  step "Möte: spelar upp $SAMPLE genom den levande loopen i terminalen, takt ${SPEED}x"
  "$FREDAG" record --input "$SAMPLE" --speed "$SPEED" \
    --case "DEMO-$(TZ=Europe/Stockholm date +%Y%m%d-%H%M%S)" --case-type barn --contact-type hembesök \
    --present klienten --present mamma --consent

  kill -0 "$server_pid" 2>/dev/null || exit 130  # Ctrl-C during the meeting stopped everything
  step "Synk: det signerade utkastet (skickades redan när mötet slutade, om servern svarade)"
  "$FREDAG" sync
  "$FREDAG" status
fi

rm -f "$FREDAG_HOME/ui-launch-url"
if [ "${MIC:-alsa}" = file ]; then
  step "Enhetens skärm: startar fredag ui på 127.0.0.1:$UI_PORT, mikrofon: $SAMPLE (logg: $UI_LOG)"
  "$FREDAG" ui --port "$UI_PORT" --input "$SAMPLE" --speed "$SPEED" >"$UI_LOG" 2>&1 &
  ui_pid=$!
else
  MIC_DIR="$DEMO/mic"
  step "Enhetens mikrofon: $SAMPLE sägs in i ALSA-ingången fredagmic, takt ${SPEED}x ($MIC_DIR)"
  "$PY" -m device.capture.standin "$MIC_DIR" "$SAMPLE" --speed "$SPEED" >"$DEMO/mic.log" 2>&1 &
  mic_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$MIC_DIR/alsa-home/.asoundrc" ] && break
    kill -0 "$mic_pid" 2>/dev/null || { cat "$DEMO/mic.log" >&2; exit 1; }
    sleep 0.2
  done
  step "Enhetens skärm: startar fredag ui på 127.0.0.1:$UI_PORT, mikrofon fredagmic (logg: $UI_LOG)"
  HOME="$MIC_DIR/alsa-home" "$FREDAG" ui --port "$UI_PORT" --device fredagmic >"$UI_LOG" 2>&1 &
  ui_pid=$!
fi
for _ in $(seq 1 300); do
  [ -s "$FREDAG_HOME/ui-launch-url" ] && break
  if ! kill -0 "$ui_pid" 2>/dev/null; then
    echo "Enhetens skärm startade inte:" >&2; cat "$UI_LOG" >&2; exit 1
  fi
  sleep 0.2
done
UI_URL="$(cat "$FREDAG_HOME/ui-launch-url")"

cat <<MSG

==> Klart. Två adresser:

  1. Enhetens skärm (handhållen enhet, öppna i en smal webbläsare eller mobilvy):

    $UI_URL

     Tryck "Testa mikrofonen" och sedan "Nytt samtal", fyll i ärendet, ge samtycke:
     exempelmötet sägs in i mikrofonen, skrivs ut och taggas medan du tittar.
     Avsluta samtalet, signera och skicka.

  2. Granska utkasten i webbläsaren:

    $URL/
    Handläggare:    $CASEWORKER / $CASEWORKER_PASSWORD   (inkorgen: $URL/inkorg)
    Administratör:  $ADMIN / $ADMIN_PASSWORD

Servern och enhetens skärm kör tills du trycker Ctrl-C.
MSG
serving=1
wait "$server_pid"
