#!/usr/bin/env bash
# Store benchmark (issue 3): bulk issuance vs openssl speed, and opening 100,000 certificates.
# Usage: bundles/store/run-benchmark.sh [--certs 10000] [--open-size 100000] [--runs 3] [--report FILE]
# Builds api, audit and store first. The reactor's own classes go first on the class path, so a
# different org.certwatch.api snapshot in ~/.m2 (another work tree) cannot shadow them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
(cd "$root" && mvn -B -q install -DskipTests -pl bundles/store -am)
(cd "$here" && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test)
cp="$root/bundles/api/target/classes:$root/bundles/audit/target/classes:$here/target/classes:$here/target/test-classes:$(cat "$here/target/cp.txt")"
exec java -Xmx2g -cp "$cp" org.certwatch.store.internal.bench.StoreBenchmark "$@"
