#!/usr/bin/env bash
# Runs a command with moto's server up, for the moto tests of destination-s3 (S3, archive
# storage classes) and any other test that reads PBK_MOTO_ENDPOINT.
#
#   bash .ci/with-moto.sh ./mvnw -B verify
#
# Installs moto[server] into a virtualenv (quietly; reused when already there), starts it on
# 127.0.0.1 on a free port, waits until it answers, exports PBK_MOTO_ENDPOINT for the command,
# and stops moto when the command ends, whatever its outcome. Exits with the command's status.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

moto_requirement='moto[server]==5.2.5'
venv="${PBK_MOTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/pbk-moto-venv}"
if ! "$venv/bin/python" -c 'import moto.server, moto, sys; sys.exit(moto.__version__ != "5.2.5")' >/dev/null 2>&1; then
  echo "== ci-moto: installing moto[server] into $venv"
  python3 -m venv "$venv"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/pip" install -q "$moto_requirement"
fi

port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
log="$(mktemp -t pbk-moto.XXXXXX.log)"
"$venv/bin/python" -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
stop_moto() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
}
trap stop_moto EXIT

endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 60); do
  if "$venv/bin/python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$endpoint" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then
    echo "== ci-moto: moto did not start; its log:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done
if ! "$venv/bin/python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$endpoint" >/dev/null 2>&1; then
  echo "== ci-moto: moto does not answer at $endpoint after 30 s; its log:" >&2
  cat "$log" >&2
  exit 1
fi

export PBK_MOTO_ENDPOINT="$endpoint"
echo "== ci-moto: moto $("$venv/bin/python" -c 'import moto; print(moto.__version__)') at $PBK_MOTO_ENDPOINT"
set +e
"$@"
status=$?
set -e
exit "$status"
