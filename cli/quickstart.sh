#!/usr/bin/env bash
# `npm run quickstart`: everything from a fresh clone to a running lab, then its main job. Installs
# the npm dependencies, builds, installs what is missing from Debian's packages and, where no Docker
# Engine answers, starts one (`w2meet doctor --fix`, as root); brings the lab up on
# http://127.0.0.1:8080 with two workers (on Docker when an Engine answers, else on local
# processes; `up` says which and why), runs every scenario and writes the claim report beside
# reports/<run-id>/results.json. Extra arguments go to `w2meet up`:
# `npm run quickstart -- --runtime process` is the fast path, with no Engine started.
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=auto
args=("$@")
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --runtime) runtime="${args[$((i + 1))]:-}" ;;
    --runtime=*) runtime="${args[$i]#--runtime=}" ;;
  esac
done

npm ci --no-audit --no-fund
npm run build
fix=(doctor --fix --test-tools)
# A lab on local processes needs no Engine: install everything (the tests need both runtimes) but start none.
[ "$runtime" = process ] && fix+=(--no-start-engine)
node dist/cli/w2meet.js doctor --test-tools >/dev/null || node dist/cli/w2meet.js "${fix[@]}"

echo
echo "== The lab (the first Docker start on this machine builds its images from Debian's packages: about three minutes)"
node dist/cli/w2meet.js up --replicas worker-service=2 "$@"

echo
echo "== The scenario suite against the lab"
node dist/cli/w2meet.js scenario run

echo
echo "== The report: each documented claim as a verdict, and the KG1-KG11 scorecard"
node dist/cli/w2meet.js report

echo
echo "Follow a request through every hop: node dist/cli/w2meet.js logs --case-id <Case-ID>"
echo "Break it yourself:                  node dist/cli/w2meet.js stop redis   (then: start redis)"
echo "Stop the lab:                       node dist/cli/w2meet.js down"
