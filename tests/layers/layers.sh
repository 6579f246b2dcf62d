#!/usr/bin/env bash
# tests/layers/layers.sh — DESIGN.md's arrows hold in today's src/: one TAP line per rule of
# tools/check-layers, with each violation (file:line) as a diagnostic under its rule.
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
exec /usr/bin/python3 "$top/tools/check-layers" --tap "$top"
