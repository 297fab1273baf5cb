#!/usr/bin/env bash
# `npm run quickstart`: everything from a fresh clone to a running lab, then one request through
# every service. Installs the npm dependencies, builds, installs missing Debian packages (as root),
# brings the lab up on http://127.0.0.1:8080 and asks it for a meeting suggestion.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm run build
node dist/cli/w2meet.js doctor >/dev/null || node dist/cli/w2meet.js doctor --fix
node dist/cli/w2meet.js up "$@"

gateway=$(node dist/cli/w2meet.js status --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).gatewayUrl))')
echo
echo "== Two users and a suggestion, through the gateway at $gateway"
for body in '{"email":"ada@example.com","availabilities":{"monday":[9,10,11],"thursday":[15]},"preferences":"first"}' \
            '{"email":"alan@example.com","availabilities":{"monday":[10,11],"thursday":[15,16]},"preferences":"last"}'; do
  curl -s -o /dev/null -w "POST /users/users -> %{http_code}\n" -H 'content-type: application/json' -d "$body" "$gateway/users/users"
done
curl -s -H 'Case-ID: quickstart-1' "$gateway/suggestion/suggestions?userId1=ada@example.com&userId2=alan@example.com"
echo
echo
echo "Follow that request through every hop: node dist/cli/w2meet.js logs --case-id quickstart-1"
echo "Stop the lab:                          node dist/cli/w2meet.js down"
