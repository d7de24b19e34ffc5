#!/usr/bin/env bash
# Lint CERTWATCH-MIB.  usage: mibs/check.sh BASE_MIB_DIR
# BASE_MIB_DIR holds the IETF base MIBs (SNMPv2-SMI.txt, SNMPv2-TC.txt,
# SNMPv2-CONF.txt), which Debian does not ship; defaults to $CERTWATCH_BASE_MIBS.
# The acceptance test: `smilint -l 6` prints nothing.  When net-snmp's
# snmptranslate is installed, the module must also load there without a word.
# Exit 0 when clean, 1 on findings, 2 on a usage or set-up error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base="${1:-${CERTWATCH_BASE_MIBS:-}}"
if [ -z "$base" ] || [ ! -f "$base/SNMPv2-SMI.txt" ]; then
  echo "usage: $0 BASE_MIB_DIR   (a folder with SNMPv2-SMI.txt, SNMPv2-TC.txt, SNMPv2-CONF.txt)" >&2
  exit 2
fi
command -v smilint >/dev/null || { echo "$0: smilint not found (apt-get install smitools)" >&2; exit 2; }
base="$(cd "$base" && pwd)"
mib="$here/CERTWATCH-MIB.txt"
status=0

out="$(cd "$here" && SMIPATH="$base:$here" smilint -l 6 "$mib" 2>&1)" || true
if [ -n "$out" ]; then
  printf 'smilint -l 6 %s:\n%s\n' "$mib" "$out" >&2
  status=1
fi

if command -v snmptranslate >/dev/null; then
  # only this module (-m without '+'), so Debian's default MIB list adds no noise
  out="$(snmptranslate -M "$base:$here" -m CERTWATCH-MIB -On CERTWATCH-MIB::certwatchMIB 2>&1)" || true
  if [ "$out" != ".1.3.6.1.4.1.32473.1" ]; then
    printf 'snmptranslate (net-snmp) on %s:\n%s\n' "$mib" "$out" >&2
    status=1
  fi
fi

[ "$status" = 0 ] && echo "CERTWATCH-MIB: clean (smilint -l 6$(command -v snmptranslate >/dev/null && echo ', net-snmp'))"
exit "$status"
