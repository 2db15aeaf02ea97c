#!/usr/bin/env bash
# The HTML report's browser test needs Debian's Chromium and its WebDriver (and a CJK font, so
# screenshots show Chinese).  Installs them when missing; does nothing when they are there.
set -euo pipefail

packages=(chromium chromium-driver fonts-noto-cjk)
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
  apt=(apt-get)
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  apt=(sudo apt-get)
else
  echo "install-browser: Chromium is missing; install it with: sudo apt-get install ${packages[*]}" >&2
  echo "install-browser: the browser test is skipped outside CI until then" >&2
  exit 0
fi
echo "install-browser: installing ${packages[*]}" >&2
"${apt[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${packages[@]}" >/dev/null
