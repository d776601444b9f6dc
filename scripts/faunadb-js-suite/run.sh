#!/usr/bin/env bash
# Runs the faunadb driver's own test suite (fauna/faunadb-js test/*.test.js, third-party code that
# is NOT part of this repository) against a fresh server built from this checkout.
#
#   bash scripts/faunadb-js-suite/run.sh <suite dir> [port]
#
# <suite dir> holds the driver repository's test/ folder (see docs/faunadb-js-suite.md for the
# files and commits); this script installs jest@27 there (outside the repository), points the
# tests' `require('../src/...')` at the installed faunadb@4.8 driver, starts the server on a
# temporary data directory, runs jest, stops the server and prints per-file counts and failures.
set -u
SUITE=$(cd "${1:?usage: run.sh <suite dir> [port]}" && pwd); PORT=${2:-18990}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/fsuite-data-XXXX")
[[ -f "$SUITE/package.json" ]] || echo '{"name":"faunadb-js-suite","private":true}' > "$SUITE/package.json"
[[ -d "$SUITE/node_modules/jest" ]] || npm install --prefix "$SUITE" jest@27 --no-audit --no-fund >/dev/null 2>&1
# Some stored versions of the driver's test files (query.test.js @002d27e, _json.test.js
# @e3b43a3) are development snapshots with `test.only`: run all their tests. This is the only
# change made to the third-party files.
sed -i 's/^  test\.only(/  test(/' "$SUITE"/test/*.test.js
ln -sfn "$REPO/node_modules/faunadb/src" "$SUITE/src"
cat > "$SUITE/jest.config.js" <<JEST
module.exports = {
  testEnvironment: 'node',
  modulePaths: ['$REPO/node_modules'],
  testMatch: ['<rootDir>/test/**/*.test.js'],
  testTimeout: 20000,
}
JEST
(cd "$REPO" && exec node dist/src/main.js --port "$PORT" --data "$DATA/db" > "$DATA/server.log" 2>&1) & SERVER=$!
sleep 4
(cd "$SUITE" && FAUNA_ROOT_KEY=secret FAUNA_DOMAIN=localhost FAUNA_SCHEME=http FAUNA_PORT="$PORT" \
  AUTH_0_URI=https://offline.invalid/ AUTH_0_CLIENT_ID=none AUTH_0_CLIENT_SECRET=none \
  timeout 900 npx jest --runInBand --forceExit --json --outputFile="$DATA/result.json" > "$DATA/jest.log" 2>&1)
kill "$SERVER"
node "$HERE/summarize.js" "$DATA/result.json"
echo "logs: $DATA"
