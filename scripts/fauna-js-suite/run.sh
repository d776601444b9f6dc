#!/usr/bin/env bash
# Runs the v10 driver's own integration tests (fauna/fauna-js __tests__/integration/*.test.ts and
# __tests__/client.ts, third-party code that is NOT part of this repository) against a fresh
# server built from this checkout.
#
#   bash scripts/fauna-js-suite/run.sh <suite dir> [port]
#
# <suite dir> holds the driver repository's __tests__/ folder (see docs/fauna-js-suite.md for
# the files and commits). This script installs jest@29 and ts-jest there (outside the
# repository), maps the tests' imports of the driver's source (`../../src`, `../src`, and their
# sub-paths, which the tests use for types only) to the installed `fauna` package, starts the
# server on a temporary data directory with the root secret `secret`, runs jest, stops the
# server and prints per-file counts and failures.
set -u
SUITE=$(cd "${1:?usage: run.sh <suite dir> [port]}" && pwd); PORT=${2:-18991}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/fjs-suite-XXXX")
[[ -f "$SUITE/package.json" ]] || echo '{"name":"fauna-js-suite","private":true}' > "$SUITE/package.json"
[[ -d "$SUITE/node_modules/ts-jest" ]] || npm install --prefix "$SUITE" jest@29 ts-jest@29 typescript@5 @types/jest@29 --no-audit --no-fund >/dev/null 2>&1
# The only change made to the third-party files: the stream and feed tests' client
# configurations predate the `logger` field that fauna@2.5's StreamClient and FeedClient
# require; give them one that logs nothing.
for f in "$SUITE"/__tests__/integration/stream.test.ts "$SUITE"/__tests__/integration/feed.test.ts; do
  [[ -f "$f" ]] && ! grep -q 'harness: fauna@2.5' "$f" && \
    sed -i 's/^  max_backoff: 20,$/  max_backoff: 20,\n  logger: new (require("..\/..\/src").ConsoleLogHandler)("6"), \/\/ harness: fauna@2.5 requires a logger/' "$f"
done
cat > "$SUITE/jest.config.js" <<JEST
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'],
  transform: { '^.+\\\\.ts\$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  moduleNameMapper: { '^(\\\\.\\\\./)+src(/.*)?\$': '$REPO/node_modules/fauna' },
  testTimeout: 30000,
};
JEST
echo '{ "compilerOptions": { "target": "es2020", "module": "commonjs", "esModuleInterop": true, "isolatedModules": true } }' > "$SUITE/tsconfig.json"
(cd "$REPO" && exec node dist/src/main.js --port "$PORT" --data "$DATA/db" > "$DATA/server.log" 2>&1) & SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/ping" >/dev/null && break; sleep 0.2; done
(cd "$SUITE" && FAUNA_ENDPOINT="http://localhost:$PORT" FAUNA_SECRET=secret \
  timeout 900 npx jest --runInBand --forceExit --json --outputFile="$DATA/result.json" > "$DATA/jest.log" 2>&1)
kill "$SERVER"
node "$REPO/scripts/faunadb-js-suite/summarize.js" "$DATA/result.json"
echo "logs: $DATA"
