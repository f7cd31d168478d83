#!/bin/sh
# Installs what xvs needs to build and test, from Debian's archive only.
# Idempotent: apt-get leaves installed packages alone.
set -e
PKGS="clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool make gcc libc6-dev \
iproute2 ethtool python3 curl procps libssl-dev openssl"
export DEBIAN_FRONTEND=noninteractive
echo "  DEPS   apt-get update && apt-get install $PKGS"
apt-get update -qq
apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
