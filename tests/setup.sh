#!/bin/sh
# What the test suite needs besides Rust, installed once (the README's test command
# runs this first): moto, the AWS emulator the tests start on loopback ports, into
# `.venv/` (with gunicorn, which the publisher benchmark serves moto with, and cfn-lint
# with the SAM translator, which check the exported templates offline); and for
# the page's browser tests Debian's Chromium and ChromeDriver.
set -eu
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/moto_server ] || [ ! -x .venv/bin/gunicorn ] || [ ! -x .venv/bin/cfn-lint ] \
    || ! .venv/bin/python -c 'import samtranslator' 2>/dev/null; then
    [ -x .venv/bin/pip ] || python3 -m venv .venv
    .venv/bin/pip install -q 'moto[server]==5.2.5' 'gunicorn==27.0.1' 'cfn-lint==1.58.0' 'aws-sam-translator==1.115.0'
fi
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
