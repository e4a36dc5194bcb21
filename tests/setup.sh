#!/bin/sh
# What the test suite needs besides Rust, installed once (the README's test command
# runs this first): moto, the AWS emulator the tests start on loopback ports, into
# `.venv/` (with gunicorn, which the publisher benchmark serves moto with, and cfn-lint
# with the SAM translator, which check the exported templates offline); and for
# the page's browser tests Debian's Chromium and ChromeDriver; LocalStack and the policy
# evaluator (below).
set -eu
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/moto_server ] || [ ! -x .venv/bin/gunicorn ] || [ ! -x .venv/bin/cfn-lint ] \
    || ! .venv/bin/python -c 'import samtranslator' 2>/dev/null; then
    [ -x .venv/bin/pip ] || python3 -m venv .venv
    .venv/bin/pip install -q 'moto[server]==5.2.5' 'gunicorn==27.0.1' 'cfn-lint==1.58.0' 'aws-sam-translator==1.115.0'
fi
# LocalStack, the second AWS-compatible peer, into `.venv-localstack/`: localstack-core
# runs without Docker on Python >= 3.12. The first such Python found: on PATH, then
# pyenv's versions; none is an error (the LocalStack tests would fail, never skip).
if [ ! -x .venv-localstack/bin/python ] || ! .venv-localstack/bin/python -c 'import localstack' 2>/dev/null; then
    py=""
    for candidate in python3.14 python3.13 python3.12 python3 \
        "$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -V | tail -n 1)"; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
            py="$candidate"
            break
        fi
    done
    if [ -z "$py" ]; then
        echo "tests/setup.sh: LocalStack needs Python >= 3.12 and none was found (on PATH or under pyenv)" >&2
        exit 1
    fi
    "$py" -m venv .venv-localstack
    .venv-localstack/bin/pip install -q 'localstack-core[runtime]==2026.3.0' 'cbor2<6' 'pyopenssl<24.3' 'cryptography<44' service_identity
fi
# The independent IAM policy evaluator of tests/policies.rs (cloud-copilot's iam-simulate),
# from the npm registry with the machine's Node.js, as its lock file pins it.
if [ ! -d tests/support/iam/node_modules/@cloud-copilot/iam-simulate ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "tests/setup.sh: the policy tests need Node.js and npm, and npm was not found" >&2
        exit 1
    fi
    npm ci --prefix tests/support/iam --no-audit --no-fund --silent
fi
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
