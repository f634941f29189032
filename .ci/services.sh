#!/usr/bin/env bash
# Starts what the tests need that npm does not install. Writes the connection settings to .ci/env.
set -euo pipefail
: > .ci/env
