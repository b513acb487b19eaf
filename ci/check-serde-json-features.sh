#!/usr/bin/env bash
# Fails when a published crate of the workspace turns on a serde_json feature that changes the
# behaviour of the application's own serde_json (`arbitrary_precision`, `preserve_order`,
# `float_roundtrip`, `unbounded_depth`...): Cargo unifies features across the whole build, so
# a library must leave them alone. Looks at the feature graph of the facade with default and
# with all features (the CLI included), normal dependencies only.
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='serde_json feature "(arbitrary_precision|preserve_order|float_roundtrip|unbounded_depth|raw_value)"'
status=0
for args in "-p tamperproof" "-p tamperproof --all-features" "-p tamperproof-cli" "-p python-json"; do
    # shellcheck disable=SC2086
    tree=$(cargo tree $args -e features,normal --prefix none)
    if found=$(grep -E "$forbidden" <<<"$tree" | sort -u) && [ -n "$found" ]; then
        echo "FAIL: cargo tree $args -e features enables:"
        echo "$found"
        status=1
    else
        echo "ok: cargo tree $args -e features: no behaviour-changing serde_json feature"
    fi
done
exit $status
