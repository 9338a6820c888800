#!/usr/bin/env bash
# The scale benchmark (README "Performance"): scaletriage against a real
# Prometheus with 100k and then 500k active series, generated on loopback.
# Not part of CI: about 6 minutes per size (the report's 5-minute window
# fills with real scrapes first). Needs `prometheus` in PATH (Debian's
# package) or PROMETHEUS=/path/to/prometheus.
#
#   lab/scale/run.sh                 # both sizes, the current checkout
#   lab/scale/run.sh 100000          # one size
#   BINARIES=/tmp/old,/tmp/new lab/scale/run.sh   # compare builds, paired on the same data
#   TIMEOUT=60s lab/scale/run.sh 500000           # the report's --timeout, when its slowest query needs more
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@")
((${#sizes[@]})) || sizes=(100000 500000)
for n in "${sizes[@]}"; do
	echo "=== $n series ==="
	go run ./lab/scale -series "$n" -prometheus "${PROMETHEUS:-prometheus}" ${BINARIES:+-binary "$BINARIES"} ${TIMEOUT:+-timeout "$TIMEOUT"}
done
