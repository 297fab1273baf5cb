#!/usr/bin/env bash
# `npm run quickstart`: everything from a fresh clone to a running lab, then its main job: the
# scenario suite. Installs the npm dependencies, builds, installs missing Debian packages (as
# root), brings the lab up on http://127.0.0.1:8080 with two workers and runs every scenario,
# writing reports/<run-id>/results.json. Extra arguments go to `w2meet up`.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm run build
node dist/cli/w2meet.js doctor >/dev/null || node dist/cli/w2meet.js doctor --fix
node dist/cli/w2meet.js up --replicas worker-service=2 "$@"

echo
echo "== The scenario suite against the lab"
node dist/cli/w2meet.js scenario run

echo
echo "Follow a request through every hop: node dist/cli/w2meet.js logs --case-id <Case-ID>"
echo "Break it yourself:                  node dist/cli/w2meet.js stop redis   (then: start redis)"
echo "Stop the lab:                       node dist/cli/w2meet.js down"
