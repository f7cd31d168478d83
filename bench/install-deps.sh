#!/bin/sh
# Installs what `make bench` needs beyond tools/install-deps.sh (which CI
# uses and which stays free of these), from Debian's archive only.
# Idempotent: apt-get leaves installed packages alone.
#   hyperfine              timed runs of xvsadm (bench/ctl)
#   nginx-light, libnginx-mod-stream, haproxy, wrk
#                          real servers, the proxies compared, the load
#                          (bench/e2e)
#   linux-perf             profiles of a missed target
set -e
PKGS="hyperfine nginx-light libnginx-mod-stream haproxy wrk linux-perf"
export DEBIAN_FRONTEND=noninteractive
echo "  DEPS   apt-get update && apt-get install $PKGS"
apt-get update -qq
apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
