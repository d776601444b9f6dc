#!/usr/bin/env bash
# Runs fauna-labs/tdd-fql-jest (Fauna's sample of test-driven FQL development: jest tests that
# evaluate FQL v4 expressions through the `faunadb` driver; third-party code that is NOT part of
# this repository) unchanged against a fresh server built from this checkout.
#
#   bash scripts/tdd-fql-jest-suite/run.sh <suite dir> [port]
#
# <suite dir> holds the sample's files (see docs/tdd-fql-jest-suite.md for the files and
# commits). This script installs the sample's own package.json dependencies there (with
# --ignore-scripts: faunadb's postinstall fetches release notes from GitHub), writes the
# `.jest/setEnvVars.js` the sample's README asks its user to create from
# `.jest/setEnvVars.example.js` (pointed at this server instead of Fauna Dev's port 8443), starts
# the server on a temporary data directory with the root secret `secret`, runs `npx jest` as the
# sample's `npm test` does, stops the server and prints per-file counts and failures.
set -u
SUITE=$(cd "${1:?usage: run.sh <suite dir> [port]}" && pwd); PORT=${2:-18992}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/tdd-suite-XXXX")
[[ -d "$SUITE/node_modules/jest" ]] || (cd "$SUITE" && npm install --ignore-scripts --no-audit --no-fund >/dev/null 2>&1)
sed "s/FAUNADB_PORT = 8443/FAUNADB_PORT = $PORT/" "$SUITE/.jest/setEnvVars.example.js" > "$SUITE/.jest/setEnvVars.js"
(cd "$REPO" && exec node dist/src/main.js --port "$PORT" --data "$DATA/db" > "$DATA/server.log" 2>&1) & SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/ping" >/dev/null && break; sleep 0.2; done
(cd "$SUITE" && timeout 600 npx jest --runInBand --forceExit --json --outputFile="$DATA/result.json" > "$DATA/jest.log" 2>&1)
kill "$SERVER"
node "$REPO/scripts/faunadb-js-suite/summarize.js" "$DATA/result.json"
echo "logs: $DATA"
